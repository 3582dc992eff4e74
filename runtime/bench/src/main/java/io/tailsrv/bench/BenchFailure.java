package io.tailsrv.bench;

/**
 * A measurement that could not complete, or whose figures would mislead: no
 * connection, a client closed or stalled, unexpected bytes. Exit status 1.
 */
final class BenchFailure extends Exception {

    private static final long serialVersionUID = 1L;

    BenchFailure(String message) {
        super(message);
    }
}
