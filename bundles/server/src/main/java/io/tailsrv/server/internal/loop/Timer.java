package io.tailsrv.server.internal.loop;

/**
 * A scheduled action, touched on its loop's thread only. Cancelling it lets
 * go of the action (and of whatever that holds: a header timer holds its
 * connection) at once; the timer itself leaves the queue at its time or in
 * the loop's next sweep.
 */
public final class Timer implements Comparable<Timer> {

    final long at;
    private final IoLoop loop;
    private Runnable action; // null once run or cancelled
    boolean cancelled;

    Timer(IoLoop loop, long at, Runnable action) {
        this.loop = loop;
        this.at = at;
        this.action = action;
    }

    /** Does nothing if the timer ran already or was cancelled. */
    public void cancel() {
        if (action != null) {
            action = null;
            cancelled = true;
            loop.timerCancelled();
        }
    }

    /** Whether it is still to run. */
    public boolean isPending() {
        return action != null;
    }

    void run() {
        Runnable due = action;
        action = null;
        due.run();
    }

    @Override
    public int compareTo(Timer other) {
        return Long.compare(at - other.at, 0);
    }
}
