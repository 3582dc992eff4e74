package io.tailsrv.sendfile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The probe on real loopback connections: it tells a peer that closed
 * entirely (and answered a send with a reset) from one that only
 * half-closed, where a read reports the end of stream for both.
 */
class PollPeerProbeTest {

    private final PollPeerProbe probe = new PollPeerProbe();

    @Test
    void descriptorsAreWithinReachOnThisJvm() {
        assertTrue(Descriptors.available(), "without them the probe says false to everything");
    }

    @Test
    void aHealthyConnectionIsNotBroken() throws Exception {
        try (Loopback link = Loopback.open()) {
            assertFalse(probe.isBroken(link.sender()));
        }
    }

    @Test
    void aHalfClosedPeerIsNotBrokenEvenAfterASend() throws Exception {
        try (Loopback link = Loopback.open()) {
            link.peer().shutdownOutput();
            assertEquals(-1, link.sender().read(ByteBuffer.allocate(1)), "the end of stream has arrived");
            link.sender().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertFalse(probe.isBroken(link.sender()), "a half-closed peer still reads");
        }
    }

    @Test
    void aPeerThatClosedIsBrokenOnceASendDrewItsReset() throws Exception {
        try (Loopback link = Loopback.open()) {
            link.peer().close();
            assertEquals(-1, link.sender().read(ByteBuffer.allocate(1)), "the end of stream has arrived");
            assertFalse(probe.isBroken(link.sender()), "until a send, it looks half-closed");

            link.sender().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!probe.isBroken(link.sender()) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(1); // the reset crosses loopback asynchronously; nothing announces it
            }
            assertTrue(probe.isBroken(link.sender()));
            assertEquals(-1, link.sender().read(ByteBuffer.allocate(1)), "where a read still says end of stream");
        }
    }

    @Test
    void aResetConnectionIsBroken() throws Exception {
        try (Loopback link = Loopback.open()) {
            link.peer().setOption(StandardSocketOptions.SO_LINGER, 0);
            link.peer().close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!probe.isBroken(link.sender()) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            assertTrue(probe.isBroken(link.sender()));
        }
    }

    @Test
    void aClosedChannelIsNotProbed() throws Exception {
        Loopback link = Loopback.open();
        link.close();
        assertFalse(probe.isBroken(link.sender()));
    }
}
