package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.RelayStatus.State;

/**
 * {@code upstream.fsync}: none means the relay never syncs; a period means
 * a sync at most that often while bytes were appended since the last one,
 * none while the file is idle, and one at close for what is left. Counted
 * where the relay calls {@code FileChannel.force}.
 */
class FsyncTest extends RelayTestSupport {

    @Test
    void withoutAPeriodTheRelayNeverSyncs() throws Exception {
        Path origin = dir.resolve("origin.log");
        TestUpstream upstream = upstream(Files.createFile(origin));
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();
        FileRelay relay = (FileRelay) follow(config(file, null, null, upstream.upstream()), events);
        events.await(State.FOLLOWING, WAIT);
        for (int i = 0; i < 20; i++) {
            append(origin, randomBytes(10_000, 60 + i));
            awaitSize(file, (i + 1) * 10_000L);
        }

        relay.close();

        assertEquals(0, relay.syncs());
    }

    @Test
    void withAPeriodTheRelaySyncsThatOftenWhileItAppendsAndOnceAtClose() throws Exception {
        Duration period = Duration.ofMillis(100);
        Path origin = dir.resolve("origin.log");
        TestUpstream upstream = upstream(Files.createFile(origin));
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();
        FileRelay relay = (FileRelay) follow(config(file, null, period, upstream.upstream()), events);
        events.await(State.FOLLOWING, WAIT);

        long start = System.nanoTime();
        long size = 0;
        while (System.nanoTime() - start < Duration.ofSeconds(1).toNanos()) {
            append(origin, randomBytes(1000, size));
            size += 1000;
            awaitSize(file, size);
        }
        long appendingNanos = System.nanoTime() - start;
        awaitSyncsSettle(relay, period);
        long whileAppending = relay.syncs();
        long most = appendingNanos / period.toNanos() + 2;
        assertTrue(whileAppending >= 5 && whileAppending <= most,
                whileAppending + " syncs in " + appendingNanos / 1_000_000 + " ms of appends, a period of " + period);

        // Idle: no sync, however long. Five periods show it.
        Thread.sleep(period.multipliedBy(5).toMillis());
        assertEquals(whileAppending, relay.syncs());

        append(origin, randomBytes(1000, -1));
        awaitSize(file, size + 1000);
        relay.close();
        assertEquals(whileAppending + 1, relay.syncs(), "what was appended since the last sync, at close");
    }

    /** The sync of the last appends comes a period after them. */
    private static void awaitSyncsSettle(FileRelay relay, Duration period) throws InterruptedException {
        long last;
        do {
            last = relay.syncs();
            Thread.sleep(period.multipliedBy(2).toMillis());
        } while (relay.syncs() != last);
    }
}
