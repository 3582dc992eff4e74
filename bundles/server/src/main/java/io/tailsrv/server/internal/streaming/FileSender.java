package io.tailsrv.server.internal.streaming;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * How one connection's file bytes reach its socket: as they are, with
 * sendfile, today; encrypted or framed for other connections later. Each
 * streaming connection has its own.
 */
interface FileSender {

    /**
     * Sends up to {@code count} bytes of {@code file} from {@code position},
     * as much as the socket takes now.
     *
     * @return the file bytes sent, 0 if the socket is full
     * @throws IOException if the socket failed or the file cannot be read
     */
    long send(FileChannel file, long position, long count) throws IOException;
}
