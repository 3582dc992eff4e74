package io.tailsrv.filewatch.internal;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The calls of {@link LibC} that return an {@code ssize_t}, declared with a
 * Java {@code long} where that is its size (64-bit Linux). JNA returns a
 * {@code NativeLong} by constructing it reflectively on every call; the
 * inotify thread reads once per append, so on 64-bit platforms it calls
 * these instead.
 */
final class LibC64 {

    /** Whether these are bound: size_t and ssize_t are Java longs here. */
    static final boolean BOUND = Native.LONG_SIZE == Long.BYTES;

    static {
        if (BOUND) {
            Native.register(LibC64.class, Platform.C_LIBRARY_NAME);
        }
    }

    private LibC64() {
    }

    static native long read(int fd, Pointer buf, long count);
}
