package io.tailsrv.sendfile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.sun.jna.Native;
import com.sun.jna.Platform;

import io.tailsrv.api.ZeroCopySender;

class SendfileSenderTest extends ZeroCopySenderContract {

    @Override
    ZeroCopySender sender() {
        return new SendfileSender();
    }

    /** The direct path is the one taken here: the contract's tests then test it, not the fallback. */
    @Test
    void theFilesDescriptorIsWithinReach() throws Exception {
        Path path = Files.writeString(Files.createTempFile("descriptor", ".log"), "x");
        try (FileChannel file = FileChannel.open(path)) {
            int fd = Descriptors.of(file);
            assertTrue(SocketCalls.LP64, "64-bit Linux");
            assertEquals(path.toRealPath(), Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)));
            file.close();
            assertEquals(-1, Descriptors.of(file), "a closed channel's descriptor is -1");
        } finally {
            Files.delete(path);
        }
    }

    /**
     * The JDK customizes a method handle on its 128th call from interpreted
     * code, spinning a class for it: a millisecond that used to fall on the
     * 64th append sent after a start. The class's initialization does it
     * ahead, so the first few hundred reads of descriptors load no class.
     */
    @Test
    void readingDescriptorsLoadsNoClassAfterTheStart() throws Exception {
        Path path = Files.writeString(dir.resolve("descriptors.log"), "x");
        try (FileChannel file = FileChannel.open(path); Loopback connection = Loopback.open()) {
            Descriptors.of(file); // the call sites' first links, which may load classes of their own
            Descriptors.of(connection.sender());
            ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
            long before = classes.getTotalLoadedClassCount();
            for (int i = 0; i < 300; i++) {
                assertTrue(Descriptors.of(file) >= 0 && Descriptors.of(connection.sender()) >= 0);
            }
            assertEquals(before, classes.getTotalLoadedClassCount(), "classes loaded by 300 reads of descriptors");
        }
    }

    /** A corked socket says so to getsockopt(2), and an uncorked one sends what it held back. */
    @Test
    void corkHoldsBackAndUncorkSends() throws Exception {
        Path path = Files.writeString(dir.resolve("cork.log"), "a short line\n");
        try (FileChannel file = FileChannel.open(path); Loopback connection = Loopback.open()) {
            SendfileSender sender = new SendfileSender();
            assertEquals(0, TcpCork.of(connection.sender()));

            assertTrue(sender.cork(connection.sender(), true));
            assertEquals(1, TcpCork.of(connection.sender()));
            assertEquals(13, sender.send(file, 0, 13, connection.sender()));
            assertTrue(sender.cork(connection.sender(), false));
            assertEquals(0, TcpCork.of(connection.sender()));

            ByteBuffer received = ByteBuffer.allocate(13);
            connection.peer().socket().setSoTimeout(10_000);
            while (received.hasRemaining() && connection.peer().read(received) >= 0) {
                // a blocking read: the 13 bytes came once uncorked
            }
            assertEquals("a short line\n", new String(received.array(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void corkingAClosedSocketFails() throws Exception {
        Loopback connection = Loopback.open();
        connection.close();
        assertThrows(ClosedChannelException.class, () -> new SendfileSender().cork(connection.sender(), true));
    }

    /** getsockopt(TCP_CORK), for the tests only. */
    private static final class TcpCork {
        static {
            Native.register(TcpCork.class, Platform.C_LIBRARY_NAME);
        }

        static native int getsockopt(int fd, int level, int name, int[] value, int[] length);

        static int of(SocketChannel socket) {
            int[] value = {-1};
            int[] length = {Integer.BYTES};
            assertEquals(0, getsockopt(Descriptors.of(socket), SocketCalls.IPPROTO_TCP, SocketCalls.TCP_CORK, value, length));
            return value[0];
        }
    }
}
