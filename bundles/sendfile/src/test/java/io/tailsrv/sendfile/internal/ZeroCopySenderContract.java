package io.tailsrv.sendfile.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tailsrv.api.ZeroCopySender;

/**
 * What every {@link ZeroCopySender} here must do, on real loopback
 * sockets: the one deployed ({@link SendfileSender}) and the one it falls
 * back on ({@link TransferTo}).
 */
abstract class ZeroCopySenderContract {

    private final ZeroCopySender sender = sender();

    abstract ZeroCopySender sender();

    @TempDir
    Path dir;

    @Test
    void sendsAWholeFileByteExact() throws Exception {
        byte[] content = randomBytes(3 * 1024 * 1024 + 123);
        try (FileChannel file = fileWith(content); Loopback loopback = Loopback.open()) {
            CompletableFuture<byte[]> received = readToEnd(loopback.peer());

            long sent = 0;
            while (sent < content.length) {
                sent += sender.send(file, sent, content.length - sent, loopback.sender());
            }
            loopback.sender().shutdownOutput();

            assertEquals(content.length, sent);
            assertArrayEquals(content, received.get(10, SECONDS));
        }
    }

    @Test
    void sendsFromAPositionAndNoFurtherThanTheFileEnd() throws Exception {
        byte[] content = randomBytes(100_000);
        try (FileChannel file = fileWith(content); Loopback loopback = Loopback.open()) {
            CompletableFuture<byte[]> received = readToEnd(loopback.peer());

            long sent = 0;
            while (sent < content.length - 1000) {
                sent += sender.send(file, 1000 + sent, Long.MAX_VALUE, loopback.sender());
            }
            assertEquals(0, sender.send(file, content.length, 10, loopback.sender()));
            assertEquals(0, sender.send(file, content.length + 10, 10, loopback.sender()));
            loopback.sender().shutdownOutput();

            assertEquals(content.length - 1000, sent);
            assertArrayEquals(Arrays.copyOfRange(content, 1000, content.length), received.get(10, SECONDS));
        }
    }

    @Test
    void nonBlockingSendsWhatFitsThenZeroThenResumes() throws Exception {
        byte[] content = randomBytes(2 * 1024 * 1024);
        try (FileChannel file = fileWith(content);
                Loopback loopback = Loopback.open(8 * 1024, 8 * 1024);
                Selector selector = Selector.open()) {
            SocketChannel socket = loopback.sender();
            socket.configureBlocking(false);
            List<Long> counts = new ArrayList<>();
            long sent = 0;
            long n;
            while ((n = sender.send(file, sent, content.length - sent, socket)) > 0) {
                counts.add(n);
                sent += n;
                assertTrue(counts.size() < 10_000, "the socket never filled");
            }

            assertTrue(counts.get(0) > 0 && counts.get(0) < content.length, "first send partial: " + counts);
            assertTrue(sent < content.length / 4, "a peer that does not read took " + sent + " bytes");
            assertEquals(0, sender.send(file, sent, content.length - sent, socket), "still full");

            ByteArrayOutputStream received = new ByteArrayOutputStream();
            readSome(loopback.peer(), received);
            socket.register(selector, SelectionKey.OP_WRITE);
            assertEquals(1, selector.select(5_000), "writable again once the peer read");
            long resumed = sender.send(file, sent, content.length - sent, socket);
            assertTrue(resumed > 0, "resumes after the peer read");
            sent += resumed;

            CompletableFuture<byte[]> rest = readToEnd(loopback.peer());
            while (sent < content.length) {
                selector.selectedKeys().clear();
                selector.select(5_000);
                sent += sender.send(file, sent, content.length - sent, socket);
            }
            socket.shutdownOutput();
            received.write(rest.get(10, SECONDS));

            assertArrayEquals(content, received.toByteArray());
        }
    }

    @Test
    void throwsWhenThePeerResets() throws Exception {
        byte[] content = randomBytes(1024 * 1024);
        try (FileChannel file = fileWith(content); Loopback loopback = Loopback.open()) {
            // no linger: close sends RST instead of FIN
            loopback.peer().setOption(StandardSocketOptions.SO_LINGER, 0);
            loopback.peer().close();
            loopback.sender().configureBlocking(false);

            assertThrows(IOException.class, () -> sendUntilItFails(file, loopback.sender()));
        }
    }

    @Test
    void throwsWhenThePeerHasClosed() throws Exception {
        byte[] content = randomBytes(1024 * 1024);
        try (FileChannel file = fileWith(content); Loopback loopback = Loopback.open()) {
            loopback.peer().close();
            loopback.sender().configureBlocking(false);

            // the first bytes may still be taken; the closed peer answers them with RST
            assertThrows(IOException.class, () -> sendUntilItFails(file, loopback.sender()));
        }
    }

    @Test
    void throwsWhenTheSocketIsClosed() throws Exception {
        try (FileChannel file = fileWith(randomBytes(10)); Loopback loopback = Loopback.open()) {
            loopback.sender().close();

            assertThrows(ClosedChannelException.class, () -> sender.send(file, 0, 10, loopback.sender()));
        }
    }

    private void sendUntilItFails(FileChannel file, SocketChannel socket) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (sender.send(file, 0, file.size(), socket) == 0) {
                Thread.sleep(10);
            }
        }
        fail("send to a closed peer kept succeeding for 5 s");
    }

    private FileChannel fileWith(byte[] content) throws IOException {
        Path path = Files.write(Files.createTempFile(dir, "content", ".bin"), content);
        return FileChannel.open(path);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    /** Reads what the peer has received so far, at least one byte. */
    private static void readSome(SocketChannel peer, ByteArrayOutputStream into) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1024 * 1024);
        int n = peer.read(buffer);
        into.write(buffer.array(), 0, n);
    }

    private static CompletableFuture<byte[]> readToEnd(SocketChannel peer) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
            try {
                while (peer.read(buffer.clear()) >= 0) {
                    received.write(buffer.array(), 0, buffer.position());
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            return received.toByteArray();
        });
    }
}
