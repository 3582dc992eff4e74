package io.tailsrv.server.internal.streaming;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

import io.tailsrv.api.ZeroCopySender;

/** File bytes to a plain socket, from the page cache, through the {@link ZeroCopySender} service. */
final class ZeroCopyFileSender implements FileSender {

    private final ZeroCopySender sender;
    private final SocketChannel socket;

    ZeroCopyFileSender(ZeroCopySender sender, SocketChannel socket) {
        this.sender = sender;
        this.socket = socket;
    }

    @Override
    public long send(FileChannel file, long position, long count) throws IOException {
        return sender.send(file, position, count, socket);
    }

    /** Short of the file's end: the socket took no more. (An fstat, only after a short send.) */
    @Override
    public boolean full(FileChannel file, long position) throws IOException {
        return position < file.size();
    }
}
