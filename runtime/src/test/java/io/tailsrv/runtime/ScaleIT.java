package io.tailsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1000 configuration files in one directory: all serving within 10 s, with
 * as many threads as one instance needs. Prints its figures (the README
 * quotes them).
 */
class ScaleIT {

    private static final int INSTANCES = 1000;

    @TempDir
    Path dir;

    @Test
    void thousandInstancesStartFastWithNoMoreThreadsThanOne() throws Exception {
        ConfigDir config = ConfigDir.under(dir);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<Integer> ports = Client.freePorts(INSTANCES + 1);

        Path single = Files.writeString(logs.resolve("single.log"), "single\n");
        config.serve("single", single, ports.get(0));
        int threadsForOne;
        try (TailsrvProcess server = TailsrvProcess.start("--config-dir", config.dir.toString())) {
            server.awaitLog("serving 1 instance from", Duration.ofSeconds(30));
            threadsForOne = ProcFs.threads(server.pid());
        }
        config.remove("single");

        for (int i = 0; i < INSTANCES; i++) {
            Path log = Files.writeString(logs.resolve("f" + i + ".log"), "file " + i + "\n");
            config.serve("i" + i, log, ports.get(i + 1));
        }
        long spawned = System.nanoTime();
        try (TailsrvProcess server = TailsrvProcess.start("--config-dir", config.dir.toString())) {
            server.awaitLog("serving " + INSTANCES + " instances from", Duration.ofSeconds(30));
            long millis = (System.nanoTime() - spawned) / 1_000_000;
            int threadsForMany = ProcFs.threads(server.pid());
            assertEquals(INSTANCES, server.logged("\\] listening on \\*:\\d+; serving ").size(),
                    "every instance serves");
            Random random = new Random(1);
            for (int probe = 0; probe < 20; probe++) {
                int i = random.nextInt(INSTANCES);
                try (Client client = Client.request(ports.get(i + 1), "0")) {
                    String expected = "file " + i + "\n";
                    assertEquals(expected, client.readString(expected.length()));
                }
            }
            System.out.printf("scale: %d instances serving %d ms after spawn; threads: %d with 1 instance, %d with %d%n",
                    INSTANCES, millis, threadsForOne, threadsForMany, INSTANCES);
            assertTrue(millis < 10_000, INSTANCES + " instances took " + millis + " ms");
            assertTrue(threadsForMany <= threadsForOne + 3,
                    threadsForMany + " threads with " + INSTANCES + " instances, " + threadsForOne + " with one");
        }
    }
}
