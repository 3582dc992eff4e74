package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.Relay;
import io.tailsrv.api.RelayConfig.Upstream;
import io.tailsrv.api.RelayConfigException;
import io.tailsrv.api.RelayStatus;
import io.tailsrv.api.RelayStatus.State;

/** Following, resuming, the status and its events, closing, and the one thread. */
class RelayTest extends RelayTestSupport {

    @Test
    void createsTheFileAndFollowsTheUpstreamFromItsFirstByte() throws Exception {
        Path origin = dir.resolve("origin.log");
        append(origin, randomBytes(100_000, 1));
        TestUpstream upstream = upstream(origin);
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();

        Relay relay = follow(file, events, upstream.upstream());

        assertEquals("0", upstream.nextRequest(WAIT));
        RelayStatus following = events.await(State.FOLLOWING, WAIT);
        assertEquals(upstream.upstream().toString(), following.upstream());
        assertEquals(0, following.reconnects());
        assertNull(following.reason());
        awaitSize(file, 100_000);
        append(origin, randomBytes(50_000, 2));
        awaitSize(file, 150_000);
        assertSameBytes(origin, file);
        assertEquals(List.of(State.CONNECTING, State.FOLLOWING), events.all().stream().map(RelayStatus::state).toList());
        assertTrue(events.threads().stream().allMatch(RelayLoop.THREAD_NAME::equals), events.threads().toString());
        assertEquals(State.FOLLOWING, relay.status().state());
    }

    @Test
    void resumesAtTheFilesLengthAfterTheLastBytesItHoldsComeBackTheSame() throws Exception {
        byte[] stream = randomBytes(1 << 20, 3);
        Path origin = Files.write(dir.resolve("origin.log"), stream);
        TestUpstream upstream = upstream(origin);
        // Where a killed relay may have stopped: anywhere, not at a chunk's end.
        Path file = Files.write(dir.resolve("relay.log"), Arrays.copyOf(stream, 300_001));
        StatusEvents events = new StatusEvents();

        follow(file, events, upstream.upstream());

        assertEquals(String.valueOf(300_001 - Continuity.WINDOW), upstream.nextRequest(WAIT));
        events.await(State.FOLLOWING, WAIT);
        awaitSize(file, stream.length);
        assertSameBytes(origin, file);
    }

    @Test
    void aFileShorterThanTheWindowIsCheckedWhole() throws Exception {
        byte[] stream = randomBytes(10_000, 4);
        Path origin = Files.write(dir.resolve("origin.log"), stream);
        TestUpstream upstream = upstream(origin);
        Path file = Files.write(dir.resolve("relay.log"), Arrays.copyOf(stream, 1000));

        follow(file, new StatusEvents(), upstream.upstream());

        assertEquals("0", upstream.nextRequest(WAIT));
        awaitSize(file, stream.length);
        assertSameBytes(origin, file);
    }

    @Test
    void theLagIsTheUpstreamsSizeBeyondTheFile() throws Exception {
        Path origin = dir.resolve("origin.log");
        append(origin, randomBytes(200_000, 5));
        TestUpstream upstream = upstream(origin);
        StatusEvents events = new StatusEvents();
        Relay relay = follow(dir.resolve("relay.log"), events, upstream.upstream());
        events.await(State.FOLLOWING, WAIT);

        awaitLag(relay, lag -> lag == 0);
    }

    @Test
    void theLagIsUnknownWhenTheUpstreamDoesNotSpeakHttp() throws Exception {
        Path origin = dir.resolve("origin.log");
        append(origin, randomBytes(1000, 6));
        TestUpstream upstream = upstream(origin);
        upstream.http(false);
        StatusEvents events = new StatusEvents();
        Path file = dir.resolve("relay.log");
        Relay relay = follow(file, events, upstream.upstream());
        events.await(State.FOLLOWING, WAIT);
        awaitSize(file, 1000);

        assertEquals(-1, relay.status().lag());
    }

    @Test
    void closeLetsGoOfTheFileAndTheSocketAtOnce() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("relay.log");
            Relay relay = relays.follow(config(file, null, null, new Upstream("127.0.0.1", server.getLocalPort())),
                    new StatusEvents());
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                assertEquals("0", in.readLine());
                socket.setSoTimeout(5000);

                relay.close();

                assertEquals(-1, in.read(), "the relay's socket is closed");
            }
            // The lock is gone too: another relay takes the file.
            follow(file, new StatusEvents(), new Upstream("127.0.0.1", server.getLocalPort())).close();
            relay.close();
        }
    }

    @Test
    void everyRelayRunsOnOneThreadThatStopsWithTheComponent() throws Exception {
        Path origin = dir.resolve("origin.log");
        append(origin, randomBytes(10_000, 7));
        TestUpstream upstream = upstream(origin);
        assertEquals(0, relayThreads(), "no thread before the first relay");
        for (int i = 0; i < 20; i++) {
            StatusEvents events = new StatusEvents();
            follow(dir.resolve("relay-" + i + ".log"), events, upstream.upstream());
            events.await(State.FOLLOWING, WAIT);
        }
        assertEquals(1, relayThreads());

        relays.deactivate();

        assertEquals(0, relayThreads());
        UpstreamRelays next = new UpstreamRelays(null, QUICK);
        try {
            next.follow(config(dir.resolve("relay-0.log"), null, null, upstream.upstream()), new StatusEvents()).close();
        } finally {
            next.deactivate();
        }
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path file = dir.resolve("no/such/relay.log");

        RelayConfigException refused = assertThrows(RelayConfigException.class,
                () -> follow(file, new StatusEvents(), new Upstream("localhost", 1)));

        assertEquals(InstanceConfig.FILE, refused.property());
        assertTrue(refused.getMessage().contains(dir.resolve("no/such").toString()), refused.getMessage());
    }

    private static long relayThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(RelayLoop.THREAD_NAME)).count();
    }
}
