package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.Relay;
import io.tailsrv.api.RelayConfig.Upstream;
import io.tailsrv.api.RelayStatus;
import io.tailsrv.api.RelayStatus.State;

/** Several upstreams of one stream: the next one when one fails, after a wait; byte-exact throughout. */
class SeveralUpstreamsTest extends RelayTestSupport {

    @Test
    void anUpstreamThatRefusesIsLeftForTheNextAfterABackoff() throws Exception {
        Upstream refusing = refusingUpstream();
        Path origin = dir.resolve("origin.log");
        append(origin, randomBytes(100_000, 20));
        TestUpstream upstream = upstream(origin);
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();

        follow(file, events, refusing, upstream.upstream());

        RelayStatus backingOff = events.await(State.BACKING_OFF, WAIT);
        assertEquals("upstream " + refusing + ": connection refused", backingOff.reason());
        assertEquals(upstream.upstream().toString(), backingOff.upstream(), "the next one is tried next");
        RelayStatus connecting = events.await(State.CONNECTING, WAIT);
        long waitedMillis = (events.toldAtNanos(connecting) - events.toldAtNanos(backingOff)) / 1_000_000;
        assertEquals(upstream.upstream().toString(), connecting.upstream());
        assertTrue(waitedMillis >= 45, "a first backoff of 50 to 100 ms, not " + waitedMillis + " ms");
        RelayStatus following = events.await(State.FOLLOWING, WAIT);
        assertEquals(0, following.reconnects(), "the first connection is no reconnection");
        awaitSize(file, 100_000);
        assertSameBytes(origin, file);
    }

    @Test
    void whenTheUpstreamFollowedGoesTheOtherTakesOverAndBack() throws Exception {
        Path origin = dir.resolve("origin.log");
        TestUpstream first = upstream(origin);
        TestUpstream second = upstream(origin);
        int firstPort = first.port();
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();
        try (OriginWriter writer = new OriginWriter(origin)) {
            Relay relay = follow(file, events, first.upstream(), second.upstream());
            assertEquals(first.upstream().toString(), events.await(State.FOLLOWING, WAIT).upstream());

            first.close();
            RelayStatus backingOff = events.await(State.BACKING_OFF, WAIT);
            assertTrue(backingOff.reason().startsWith("upstream " + first.upstream() + ": "), backingOff.reason());
            RelayStatus onSecond = events.await(State.FOLLOWING, WAIT);
            assertEquals(second.upstream().toString(), onSecond.upstream());
            assertEquals(1, onSecond.reconnects());

            TestUpstream firstAgain = upstream(origin, firstPort);
            second.close();
            RelayStatus backOnFirst = events.await(State.FOLLOWING, WAIT);
            assertEquals(firstAgain.upstream().toString(), backOnFirst.upstream());
            assertEquals(2, backOnFirst.reconnects());
            assertEquals(0, relay.status().continuityFailures());
        }
        awaitSize(file, Files.size(origin));
        assertSameBytes(origin, file);
    }

    @Test
    void anUpstreamKilledAndRestartedMidStreamIsResumedByteExact() throws Exception {
        Path origin = dir.resolve("origin.log");
        TestUpstream upstream = TestUpstream.plain(origin);
        int port = upstream.port();
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();
        try (OriginWriter writer = new OriginWriter(origin)) {
            Relay relay = follow(file, events, upstream.upstream());
            events.await(State.FOLLOWING, WAIT);
            for (int restart = 1; restart <= 3; restart++) {
                writer.awaitWritten(restart * 4L << 20);
                upstream.close();
                events.await(State.BACKING_OFF, WAIT);
                upstream = upstream(origin, port);
                assertEquals(restart, events.await(State.FOLLOWING, WAIT).reconnects());
            }
            assertEquals(0, relay.status().continuityFailures());
        }
        awaitSize(file, Files.size(origin));
        assertSameBytes(origin, file);
    }

    private TestUpstream upstream(Path file, int port) throws IOException {
        return closedAfter(TestUpstream.plain(file, port));
    }

    /** A port nothing listens on: bound, then let go. */
    private static Upstream refusingUpstream() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new Upstream("127.0.0.1", socket.getLocalPort());
        }
    }
}
