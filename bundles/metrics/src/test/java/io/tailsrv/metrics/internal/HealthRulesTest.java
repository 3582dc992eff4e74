package io.tailsrv.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.InstanceStatus.State;
import io.tailsrv.api.RelayStatus;
import io.tailsrv.metrics.internal.HealthRules.Finding;
import io.tailsrv.metrics.internal.HealthRules.Level;

class HealthRulesTest {

    private static final Instant SINCE = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void servingWithClientsWithinTheLimitIsOk() {
        assertEquals(List.of(new Finding(Level.OK, "SERVING on *:4321")),
                HealthRules.of(reading(State.SERVING, null, null, List.of(client("a", 10, 2.0), client("b", 0, 0)), 5)));
    }

    @Test
    void failedIsCriticalWithItsReason() {
        assertEquals(List.of(new Finding(Level.CRITICAL, "FAILED: port: 4321 is in use")),
                HealthRules.of(reading(State.FAILED, "port: 4321 is in use", null, List.of(), 60)));
    }

    @Test
    void waitingForTheFileWarns() {
        assertEquals(List.of(new Finding(Level.WARN, "waiting for /tmp/a.log to exist")),
                HealthRules.of(reading(State.WAITING, "waiting for /tmp/a.log to exist", null, List.of(), 60)));
        assertEquals(List.of(new Finding(Level.WARN, "WAITING for its file")),
                HealthRules.of(reading(State.WAITING, null, null, List.of(), 60)));
    }

    @Test
    void stoppedIsOk() {
        assertEquals(List.of(new Finding(Level.OK, "STOPPED (enabled = false)")),
                HealthRules.of(reading(State.STOPPED, null, null, List.of(), 60)));
    }

    @Test
    void aClientPastTheLimitWarnsSayingWhoAndHowFar() {
        List<Finding> findings = HealthRules.of(reading(State.SERVING, null, null,
                List.of(client("127.0.0.1:5000", 0, 0), client("127.0.0.1:5001", 123456, 75.25)), 60));
        assertEquals(List.of(new Finding(Level.OK, "SERVING on *:4321"), new Finding(Level.WARN,
                "client 127.0.0.1:5001 is 75.3 s (123456 bytes) behind the end of the file; lag.warn.seconds = 60")),
                findings);
    }

    @Test
    void theLimitItselfIsNotPast() {
        assertEquals(1, HealthRules.of(reading(State.SERVING, null, null, List.of(client("a", 1, 1.5)), 1.5)).size());
        assertEquals("client a is 1.6 s (1 bytes) behind the end of the file; lag.warn.seconds = 1.5",
                HealthRules.of(reading(State.SERVING, null, null, List.of(client("a", 1, 1.55)), 1.5)).get(1).message());
    }

    @Test
    void aClientInItsHandshakeHasNoLag() {
        ClientStatus pending = new ClientStatus("a", -1, 0, 99, 0, SINCE, null, "-");
        assertEquals(1, HealthRules.of(reading(State.SERVING, null, null, List.of(pending), 1)).size());
    }

    @Test
    void theWorstFiveAreNamedAndTheRestCounted() {
        List<ClientStatus> clients = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            clients.add(client("c" + i, i, 10 + i));
        }
        List<Finding> findings = HealthRules.of(reading(State.SERVING, null, null, clients, 10));
        assertEquals(1 + HealthRules.NAMED_CLIENTS + 1, findings.size());
        assertEquals("client c8 is 18.0 s (8 bytes) behind the end of the file; lag.warn.seconds = 10",
                findings.get(1).message());
        assertEquals("client c4 is 14.0 s (4 bytes) behind the end of the file; lag.warn.seconds = 10",
                findings.get(5).message());
        assertEquals(new Finding(Level.WARN, "3 more clients are more than 10 s behind"), findings.get(6));
    }

    @Test
    void aRelayBackingOffWarnsAndAFailedOneIsCritical() {
        RelayStatus backingOff = new RelayStatus(RelayStatus.State.BACKING_OFF, "up:4321", -1, 3, 0, "connection refused");
        assertEquals(new Finding(Level.WARN, "relay BACKING OFF from up:4321: connection refused"),
                HealthRules.of(reading(State.SERVING, null, backingOff, List.of(), 60)).get(1));
        RelayStatus failed = new RelayStatus(RelayStatus.State.FAILED, "up:4321", -1, 3, 1, "the upstream's bytes differ");
        assertEquals(new Finding(Level.CRITICAL, "relay FAILED: the upstream's bytes differ"),
                HealthRules.of(reading(State.SERVING, null, failed, List.of(), 60)).get(1));
        RelayStatus following = new RelayStatus(RelayStatus.State.FOLLOWING, "up:4321", 12, 0, 0, null);
        assertEquals(new Finding(Level.OK, "relay FOLLOWING up:4321, 12 bytes behind"),
                HealthRules.of(reading(State.SERVING, null, following, List.of(), 60)).get(1));
    }

    private static HealthRules.Reading reading(State state, String reason, RelayStatus relay, List<ClientStatus> clients,
            double warnSeconds) {
        return new HealthRules.Reading(state, reason, "*:4321", relay, clients, warnSeconds);
    }

    private static ClientStatus client(String peer, long lag, double lagSeconds) {
        return new ClientStatus(peer, 100, lag, lagSeconds, 100, SINCE, null, "raw");
    }
}
