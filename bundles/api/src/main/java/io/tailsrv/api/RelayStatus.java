package io.tailsrv.api;

/**
 * Where a relay stands.
 *
 * @param state its state
 * @param upstream the upstream it follows or tries now ({@code host:port})
 * @param lag bytes it is behind that upstream's file, or -1 if unknown
 * @param reconnects how many times it connected again after a failure, since it started
 * @param continuityFailures how many times an upstream's bytes differed from the file's
 * @param reason why it is BACKING_OFF or FAILED; null otherwise
 */
public record RelayStatus(State state, String upstream, long lag, long reconnects, long continuityFailures,
        String reason) {

    public enum State {
        /** Connecting to an upstream, or checking that it serves the same bytes. */
        CONNECTING,
        /** Receiving and appending. */
        FOLLOWING,
        /** Waiting before the next try, after a failure. */
        BACKING_OFF,
        /** Stopped for good: the upstream's stream diverged from the file (or it cannot be written). */
        FAILED;

        /** As the console shows it. */
        public String word() {
            return name().replace('_', ' ');
        }
    }
}
