package io.tailsrv.sendfile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
