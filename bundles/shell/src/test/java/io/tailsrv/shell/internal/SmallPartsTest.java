package io.tailsrv.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.InstanceCounters;
import io.tailsrv.api.InstanceStatus;

/** The list's STATE column, the start/stop check and the Config Admin filter. */
class SmallPartsTest {

    @Test
    void stateReadsAsAnOperatorWouldSayIt() {
        assertEquals("SERVING", ListCommand.state(status(InstanceStatus.State.SERVING, null)));
        assertEquals("STOPPED", ListCommand.state(status(InstanceStatus.State.STOPPED, "disabled (enabled = false)")));
        assertEquals("WAITING for file", ListCommand.state(status(InstanceStatus.State.WAITING, "waiting for /x")));
        assertEquals("FAILED: port: 0 is out of range",
                ListCommand.state(status(InstanceStatus.State.FAILED, "port: 0 is out of range")));
    }

    @Test
    void enabledReadsAsTheServerReadsIt() {
        assertTrue(StartStopCommand.says(null, true), "absent is enabled");
        assertFalse(StartStopCommand.says(null, false));
        assertTrue(StartStopCommand.says(" FALSE ", false));
        assertTrue(StartStopCommand.says(Boolean.TRUE, true));
        assertFalse(StartStopCommand.says("maybe", true), "a value the server refuses is overwritten");
        assertFalse(StartStopCommand.says("maybe", false));
    }

    @Test
    void aPidIsEscapedIntoAFilter() {
        assertEquals("tailsrv~web", InstanceConfig.pidOf("web"));
        assertEquals("tailsrv~a\\*b\\(c\\)\\\\d", Configurations.escape("tailsrv~a*b(c)\\d"));
    }

    private static InstanceStatus status(InstanceStatus.State state, String reason) {
        return new InstanceStatus() {
            @Override
            public String name() {
                return "web";
            }

            @Override
            public State state() {
                return state;
            }

            @Override
            public String reason() {
                return reason;
            }

            @Override
            public String endpoint() {
                return "*:8080";
            }

            @Override
            public String file() {
                return "/var/log/web.log";
            }

            @Override
            public long fileSize() {
                return -1;
            }

            @Override
            public long bytesSent() {
                return 0;
            }

            @Override
            public int clientCount() {
                return 0;
            }

            @Override
            public List<ClientStatus> clients() {
                return List.of();
            }

            @Override
            public InstanceCounters counters() {
                return new InstanceCounters(0, java.util.Map.of(), java.util.Map.of(), 0, 0, 0, 0, 0);
            }
        };
    }
}
