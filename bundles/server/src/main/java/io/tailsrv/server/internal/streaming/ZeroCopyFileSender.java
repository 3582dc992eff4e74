package io.tailsrv.server.internal.streaming;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

import io.tailsrv.api.ZeroCopySender;

/** File bytes to a plain socket, from the page cache, through the {@link ZeroCopySender} service. */
final class ZeroCopyFileSender implements FileSender {

    /**
     * A backlog from which the socket is corked ({@link ZeroCopySender#cork}):
     * a client catching up, not one sent an append. Corked, sendfile fills
     * whole segments; per append, the two extra system calls would buy nothing.
     *
     * <p>Only a client that is alone in catching up on its loop is corked.
     * Measured over loopback: one client catching up 256 MiB, median 3.85
     * GB/s corked against 2.10 uncorked; but 100 clients catching up at once
     * moved x0.80 to x0.91 of their uncorked total, and so did the C
     * reference when corked (x0.78 to x0.85): nginx, which corks every
     * sendfile response, serves that fan-out at about x0.6 of the reference.
     */
    static final long CORK_AT = 128 * 1024;

    private final ZeroCopySender sender;
    private final SocketChannel socket;
    private final LoopClients group;
    private boolean corked;

    ZeroCopyFileSender(ZeroCopySender sender, SocketChannel socket, LoopClients group) {
        this.sender = sender;
        this.socket = socket;
        this.group = group;
    }

    @Override
    public long send(FileChannel file, long position, long count) throws IOException {
        if (!corked && count >= CORK_AT && group.behind() <= 1) {
            corked = sender.cork(socket, true);
        }
        return sender.send(file, position, count, socket);
    }

    @Override
    public void caughtUp() throws IOException {
        if (corked) {
            corked = false;
            sender.cork(socket, false);
        }
    }

    /** Short of the file's end: the socket took no more. (An fstat, only after a short send.) */
    @Override
    public boolean full(FileChannel file, long position) throws IOException {
        return position < file.size();
    }
}
