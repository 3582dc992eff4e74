package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.RelayConfigException;
import io.tailsrv.api.RelayStatus.State;

/** One writer per file: a second relay, of this JVM or of another process, is refused, naming the file. */
class FileLockTest extends RelayTestSupport {

    @Test
    void aSecondRelayOfTheSameFileIsRefusedAndTheFirstKeepsItsLock() throws Exception {
        Path origin = Files.write(dir.resolve("origin.log"), randomBytes(1000, 30));
        TestUpstream upstream = upstream(origin);
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();
        follow(file, events, upstream.upstream());

        RelayConfigException refused = assertThrows(RelayConfigException.class,
                () -> follow(file, new StatusEvents(), upstream.upstream()));

        assertEquals(InstanceConfig.FILE, refused.property());
        assertEquals("file: " + file + " is written by another relay in this process: only one relay may write a file",
                refused.getMessage());
        // Refused before it opened the file: had it closed a descriptor of its own, the kernel would have
        // dropped the first relay's lock, and another process could take it now.
        try (ChildJvm other = new ChildJvm(LockHolder.class, file.toString())) {
            assertEquals("refused", other.nextLine());
        }
        events.await(State.FOLLOWING, WAIT);
        awaitSize(file, 1000);
    }

    @Test
    void aFileAnotherProcessHoldsIsRefusedUntilItLetsGo() throws Exception {
        Path origin = Files.write(dir.resolve("origin.log"), randomBytes(1000, 31));
        TestUpstream upstream = upstream(origin);
        Path file = Files.createFile(dir.resolve("relay.log"));
        try (ChildJvm other = new ChildJvm(LockHolder.class, file.toString())) {
            assertEquals("locked", other.nextLine());

            RelayConfigException refused = assertThrows(RelayConfigException.class,
                    () -> follow(file, new StatusEvents(), upstream.upstream()));

            assertEquals(InstanceConfig.FILE, refused.property());
            assertEquals("file: " + file + " is locked by another process: only one relay may write a file",
                    refused.getMessage());
        }
        StatusEvents events = new StatusEvents();
        follow(file, events, upstream.upstream());
        events.await(State.FOLLOWING, WAIT);
        awaitSize(file, 1000);
    }

    @Test
    void theRelaysLockKeepsOtherProcessesOutUntilItIsClosed() throws Exception {
        Path origin = Files.write(dir.resolve("origin.log"), randomBytes(1000, 32));
        TestUpstream upstream = upstream(origin);
        Path file = dir.resolve("relay.log");

        try (var relay = relays.follow(config(file, null, null, upstream.upstream()), new StatusEvents())) {
            try (ChildJvm other = new ChildJvm(LockHolder.class, file.toString())) {
                assertEquals("refused", other.nextLine());
            }
        }

        try (ChildJvm other = new ChildJvm(LockHolder.class, file.toString())) {
            assertEquals("locked", other.nextLine());
        }
    }
}
