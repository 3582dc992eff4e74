package io.tailsrv.relay.internal;

import java.nio.file.Path;
import java.util.List;

import io.tailsrv.api.RelayConfig;
import io.tailsrv.api.RelayConfig.Upstream;
import io.tailsrv.api.RelayStatus.State;

/**
 * A relay in a process of its own, for the crash tests: the component with
 * its production timings follows localhost:PORT into FILE, says
 * "following" when it does, and runs until its standard input ends or it
 * is killed.
 */
public final class RelayProcess {

    private RelayProcess() {
    }

    public static void main(String[] args) throws Exception {
        UpstreamRelays relays = new UpstreamRelays();
        RelayConfig config = new RelayConfig("child", List.of(new Upstream("localhost", Integer.parseInt(args[1]))),
                Path.of(args[0]), null, null);
        try (var relay = relays.follow(config, status -> {
            if (status.state() == State.FOLLOWING) {
                System.out.println("following");
                System.out.flush();
            }
        })) {
            while (System.in.read() >= 0) {
                // relaying
            }
        } finally {
            relays.deactivate();
        }
    }
}
