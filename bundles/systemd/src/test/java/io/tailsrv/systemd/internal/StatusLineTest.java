package io.tailsrv.systemd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.InstanceStatus.State;

class StatusLineTest {

    @Test
    void countsEveryStateAndTheClients() {
        assertEquals("4 instances: 2 serving, 1 waiting, 0 stopped, 1 failed; 5 clients",
                StatusLine.format(Map.of(State.SERVING, 2, State.WAITING, 1, State.FAILED, 1), 5));
    }

    @Test
    void oneIsSingular() {
        assertEquals("1 instance: 1 serving, 0 waiting, 0 stopped, 0 failed; 1 client",
                StatusLine.format(Map.of(State.SERVING, 1), 1));
        assertEquals("0 instances: 0 serving, 0 waiting, 0 stopped, 0 failed; 0 clients",
                StatusLine.format(Map.of(), 0));
    }
}
