package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.RelayStatus.State;

/**
 * A relay process killed with {@code kill -9} mid-stream leaves a prefix of
 * the stream (the lock goes with the process), and the next relay resumes
 * from whatever length it has, byte-exact.
 */
class CrashTest extends RelayTestSupport {

    @Test
    void aKilledRelayLeavesAPrefixAndTheNextResumesFromIt() throws Exception {
        Path origin = Files.createFile(dir.resolve("origin.log"));
        TestUpstream upstream = upstream(origin);
        Path file = dir.resolve("relay.log");
        try (OriginWriter writer = new OriginWriter(origin)) {
            for (int kill = 1; kill <= 3; kill++) {
                long before = Files.exists(file) ? Files.size(file) : 0;
                ChildJvm child = new ChildJvm(RelayProcess.class, file.toString(), String.valueOf(upstream.port()));
                assertEquals("following", child.nextLine());
                awaitGrowth(file, before + (4 << 20));

                child.kill();

                long held = Files.size(file);
                long differs = Files.mismatch(origin, file);
                assertTrue(differs == -1 || differs == held, "after kill " + kill + ", " + file + " (" + held
                        + " bytes) is no prefix of the origin: they differ at " + differs);
            }
            StatusEvents events = new StatusEvents();
            follow(file, events, upstream.upstream());
            events.await(State.FOLLOWING, WAIT);
        }
        awaitSize(file, Files.size(origin));
        assertSameBytes(origin, file);
    }

    private static void awaitGrowth(Path file, long size) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (Files.size(file) < size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " did not reach " + size + " bytes");
            }
            Thread.sleep(5);
        }
    }
}
