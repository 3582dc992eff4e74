package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.RelayStatus.State;

/**
 * One hop's throughput: 256 MiB from an upstream (sendfile) through
 * loopback into the relay's file, against the same upstream's catch-up to
 * a client that only reads. Printed, not judged: this is a shared machine;
 * the bytes are judged.
 */
class HopThroughputTest extends RelayTestSupport {

    private static final int SIZE = 256 << 20;

    @Test
    void oneHopOf256MiB() throws Exception {
        Path origin = dir.resolve("origin.log");
        try (FileChannel out = FileChannel.open(origin, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.wrap(randomBytes(1 << 20, 70));
            for (int i = 0; i < SIZE >> 20; i++) {
                block.putInt(0, i); // no two blocks alike
                out.write(block.rewind());
            }
        }
        TestUpstream upstream = upstream(origin);

        long catchUpNanos = catchUp(upstream.port());

        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();
        long start = System.nanoTime();
        follow(file, events, upstream.upstream());
        awaitSize(file, SIZE);
        long hopNanos = System.nanoTime() - start;

        assertEquals(-1, Files.mismatch(origin, file));
        assertEquals(State.FOLLOWING, events.all().get(events.all().size() - 1).state());
        System.out.printf(Locale.ROOT, "one hop, 256 MiB over loopback into a file: %.0f ms, %.2f GB/s;"
                + " the upstream's catch-up to a reading client: %.0f ms, %.2f GB/s; hop/catch-up %.2f%n",
                hopNanos / 1e6, SIZE / (double) hopNanos, catchUpNanos / 1e6, SIZE / (double) catchUpNanos,
                catchUpNanos / (double) hopNanos);
    }

    /** A client that asks for the file from 0 and reads it all into one buffer, discarding it. */
    private static long catchUp(int port) throws Exception {
        long start = System.nanoTime();
        try (SocketChannel client = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            client.write(ByteBuffer.wrap("0\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocateDirect(RelayLoop.CHUNK_BYTES);
            long received = 0;
            while (received < SIZE) {
                int read = client.read(buffer.clear());
                if (read < 0) {
                    throw new AssertionError("the upstream closed after " + received + " bytes");
                }
                received += read;
            }
        }
        return System.nanoTime() - start;
    }
}
