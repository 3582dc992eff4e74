package io.tailsrv.systemd.internal;

import java.util.EnumMap;
import java.util.Map;

import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.InstanceStatus.State;

/**
 * What {@code systemctl status} shows as the service's status:
 * {@code 3 instances: 2 serving, 1 waiting, 0 stopped, 0 failed; 5 clients}.
 */
final class StatusLine {

    private StatusLine() {
    }

    /** The line for these instances as they are now: their states and client counts, nothing slower. */
    static String of(Iterable<InstanceStatus> instances) {
        Map<State, Integer> states = new EnumMap<>(State.class);
        long clients = 0;
        for (InstanceStatus instance : instances) {
            states.merge(instance.state(), 1, Integer::sum);
            clients += instance.clientCount();
        }
        return format(states, clients);
    }

    static String format(Map<State, Integer> states, long clients) {
        int total = states.values().stream().mapToInt(Integer::intValue).sum();
        return plural(total, "instance") + ": "
                + count(states, State.SERVING) + " serving, "
                + count(states, State.WAITING) + " waiting, "
                + count(states, State.STOPPED) + " stopped, "
                + count(states, State.FAILED) + " failed; "
                + plural(clients, "client");
    }

    private static int count(Map<State, Integer> states, State state) {
        return states.getOrDefault(state, 0);
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
