package io.tailsrv.sendfile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

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
        Path path = Files.writeString(Files.createTempFile("descriptor", ".log"), "x");
        try (FileChannel file = FileChannel.open(path); Loopback connection = Loopback.open()) {
            Descriptors.of(file); // the call sites' first links, which may load classes of their own
            Descriptors.of(connection.sender());
            ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
            long before = classes.getTotalLoadedClassCount();
            for (int i = 0; i < 300; i++) {
                assertTrue(Descriptors.of(file) >= 0 && Descriptors.of(connection.sender()) >= 0);
            }
            assertEquals(before, classes.getTotalLoadedClassCount(), "classes loaded by 300 reads of descriptors");
        } finally {
            Files.delete(path);
        }
    }
}
