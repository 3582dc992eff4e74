package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.Relay;
import io.tailsrv.api.RelayStatus;
import io.tailsrv.api.RelayStatus.State;

/**
 * An upstream whose file is not the stream the relay's file holds: FAILED,
 * with not one of its bytes written. One that holds less of the same
 * stream (a relay behind this one) is waited for.
 */
class ContinuityCheckTest extends RelayTestSupport {

    @Test
    void anUpstreamTruncatedAndWrittenAgainFails() throws Exception {
        byte[] first = randomBytes(10_000, 10);
        Path origin = Files.write(dir.resolve("origin.log"), first);
        TestUpstream upstream = upstream(origin);
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();
        Relay relay = follow(file, events, upstream.upstream());
        awaitSize(file, first.length);

        try (FileChannel truncate = FileChannel.open(origin, StandardOpenOption.WRITE)) {
            truncate.truncate(0);
        }
        events.await(State.BACKING_OFF, WAIT); // tailsrv closes a client its file shrank below
        append(origin, randomBytes(20_000, 11));

        RelayStatus failed = events.await(State.FAILED, WAIT);
        assertFailedAt(failed, relay, file, first.length - Continuity.WINDOW);
        assertArrayEquals(first, Files.readAllBytes(file));
    }

    @Test
    void anUpstreamWhoseFileWasReplacedFails() throws Exception {
        byte[] first = randomBytes(10_000, 12);
        Path origin = Files.write(dir.resolve("origin.log"), first);
        TestUpstream upstream = upstream(origin);
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();
        Relay relay = follow(file, events, upstream.upstream());
        awaitSize(file, first.length);

        // logrotate's create mode: another file, longer, under the name; tailsrv closes the old one's clients.
        Path next = Files.write(dir.resolve("next.log"), randomBytes(30_000, 13));
        Files.move(next, origin, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        upstream.dropConnections();

        RelayStatus failed = events.await(State.FAILED, WAIT);
        assertFailedAt(failed, relay, file, first.length - Continuity.WINDOW);
        assertArrayEquals(first, Files.readAllBytes(file));
    }

    @Test
    void anUpstreamShorterWithOtherBytesFails() throws Exception {
        byte[] held = randomBytes(10_000, 14);
        Path file = Files.write(dir.resolve("relay.log"), held);
        Path origin = Files.write(dir.resolve("origin.log"), randomBytes(7_000, 15));
        TestUpstream upstream = upstream(origin);
        StatusEvents events = new StatusEvents();

        Relay relay = follow(file, events, upstream.upstream());

        RelayStatus failed = events.await(State.FAILED, WAIT);
        assertFailedAt(failed, relay, file, held.length - Continuity.WINDOW);
        assertArrayEquals(held, Files.readAllBytes(file));
    }

    @Test
    void aDifferenceInTheWindowsLastByteIsFound() throws Exception {
        byte[] stream = randomBytes(50_000, 16);
        Path origin = Files.write(dir.resolve("origin.log"), stream);
        TestUpstream upstream = upstream(origin);
        byte[] held = Arrays.copyOf(stream, 20_000);
        held[held.length - 1] ^= 1;
        Path file = Files.write(dir.resolve("relay.log"), held);
        StatusEvents events = new StatusEvents();

        Relay relay = follow(file, events, upstream.upstream());

        assertFailedAt(events.await(State.FAILED, WAIT), relay, file, held.length - 1);
        assertArrayEquals(held, Files.readAllBytes(file));
    }

    @Test
    void anUpstreamBehindThisFileIsWaitedForAndFollowedOnceItCatchesUp() throws Exception {
        byte[] stream = randomBytes(40_000, 17);
        Path file = Files.write(dir.resolve("relay.log"), Arrays.copyOf(stream, 10_000));
        // A sibling relay that is behind: the same stream, shorter; first shorter than the window's start.
        Path origin = Files.write(dir.resolve("origin.log"), Arrays.copyOf(stream, 1_000));
        TestUpstream upstream = upstream(origin);
        StatusEvents events = new StatusEvents();

        Relay relay = follow(file, events, upstream.upstream());

        RelayStatus behind = events.await(State.BACKING_OFF, WAIT);
        assertTrue(behind.reason().contains("holds less than " + file), behind.reason());
        assertTrue(behind.reason().contains("sent 0 of the 4096 bytes before offset 10000"), behind.reason());
        append(origin, Arrays.copyOfRange(stream, 1_000, 8_000));
        RelayStatus partly = events.await(
                status -> status.state() == State.BACKING_OFF && status.reason().contains("sent 2096 of the 4096"),
                "partly checked", WAIT);
        assertEquals(0, partly.continuityFailures());
        assertEquals(10_000, Files.size(file));
        append(origin, Arrays.copyOfRange(stream, 8_000, stream.length));

        events.await(State.FOLLOWING, WAIT);
        awaitSize(file, stream.length);
        assertSameBytes(origin, file);
        assertEquals(0, relay.status().continuityFailures());
    }

    private static void assertFailedAt(RelayStatus failed, Relay relay, Path file, long offset) {
        assertEquals(1, failed.continuityFailures());
        assertTrue(failed.reason().contains("differ from " + file + " at offset " + offset), failed.reason());
        assertEquals(State.FAILED, relay.status().state());
    }
}
