package io.tailsrv.filewatch.internal;

import java.io.IOException;

/** A failed libc call, keeping errno so that callers can tell ENOENT from the rest. */
final class ErrnoException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    ErrnoException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
