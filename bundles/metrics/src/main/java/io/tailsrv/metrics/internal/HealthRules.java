package io.tailsrv.metrics.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.InstanceStatus.State;
import io.tailsrv.api.RelayStatus;

/**
 * What an instance's health check says, as findings of a level each; the
 * check's result is the worst of them (Felix Health Checks takes the worst
 * entry of a result's log). Kept apart from Felix Health Checks'
 * types so that the rules read, and are tested, on their own.
 */
final class HealthRules {

    /** The worst clients named one by one; the rest are counted. */
    static final int NAMED_CLIENTS = 5;

    enum Level {
        OK, WARN, CRITICAL
    }

    record Finding(Level level, String message) {
    }

    /** What an instance is at one moment, as the rules read it. */
    record Reading(State state, String reason, String endpoint, RelayStatus relay, List<ClientStatus> clients,
            double lagWarnSeconds) {
    }

    private HealthRules() {
    }

    /**
     * CRITICAL when the instance or its relay FAILED; WARN when the instance
     * is WAITING for its file, its relay is BACKING OFF, or a client lags
     * more than {@code lag.warn.seconds}; OK otherwise.
     */
    static List<Finding> of(Reading instance) {
        List<Finding> findings = new ArrayList<>();
        switch (instance.state()) {
            case FAILED -> findings.add(new Finding(Level.CRITICAL, "FAILED: " + instance.reason()));
            // the server's reason says what it waits for ("waiting for /x to exist")
            case WAITING -> findings.add(new Finding(Level.WARN,
                    instance.reason() == null ? "WAITING for its file" : instance.reason()));
            case STOPPED -> findings.add(new Finding(Level.OK, "STOPPED (enabled = false)"));
            case SERVING -> findings.add(new Finding(Level.OK, "SERVING on " + instance.endpoint()));
        }
        if (instance.relay() != null) {
            findings.add(relay(instance.relay()));
        }
        findings.addAll(lagging(instance.clients(), instance.lagWarnSeconds()));
        return findings;
    }

    private static Finding relay(RelayStatus relay) {
        String why = relay.reason() == null ? "" : ": " + relay.reason();
        return switch (relay.state()) {
            case FAILED -> new Finding(Level.CRITICAL, "relay FAILED" + why);
            case BACKING_OFF -> new Finding(Level.WARN, "relay BACKING OFF from " + relay.upstream() + why);
            case CONNECTING -> new Finding(Level.OK, "relay CONNECTING to " + relay.upstream());
            case FOLLOWING -> new Finding(Level.OK, "relay FOLLOWING " + relay.upstream()
                    + (relay.lag() < 0 ? "" : ", " + relay.lag() + " bytes behind"));
        };
    }

    private static List<Finding> lagging(List<ClientStatus> clients, double warnSeconds) {
        List<ClientStatus> behind = clients.stream()
                .filter(client -> client.offset() >= 0 && client.lagSeconds() > warnSeconds)
                .sorted(Comparator.comparingDouble(ClientStatus::lagSeconds).reversed())
                .toList();
        List<Finding> findings = new ArrayList<>();
        for (ClientStatus client : behind.subList(0, Math.min(NAMED_CLIENTS, behind.size()))) {
            findings.add(new Finding(Level.WARN, String.format(Locale.ROOT,
                    "client %s is %.1f s (%d bytes) behind the end of the file; lag.warn.seconds = %s",
                    client.peer(), client.lagSeconds(), client.lag(), seconds(warnSeconds))));
        }
        if (behind.size() > NAMED_CLIENTS) {
            findings.add(new Finding(Level.WARN, (behind.size() - NAMED_CLIENTS) + " more clients are more than "
                    + seconds(warnSeconds) + " s behind"));
        }
        return findings;
    }

    /** 60 rather than 60.0, 0.5 as it is. */
    private static String seconds(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
