package io.tailsrv.features;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Ports for the container and for the instances under test, chosen the way
 * the runtime's tests choose them: random, below the kernel's ephemeral
 * range, and free when chosen. A port from the ephemeral range (what binding
 * port 0 gives) can be taken by any outgoing connection on this machine
 * before Karaf or an instance binds it; one below it only by a listener.
 */
final class Ports {

    private static final Random RANDOM = new Random();

    /** Never the same port twice in one run: a port chosen is not bound until the container starts. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    static synchronized int free() throws IOException {
        int below = ephemeralLow();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 10_000 + RANDOM.nextInt(below - 10_000);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                HANDED_OUT.add(port);
                return socket.getLocalPort();
            } catch (IOException taken) {
                // another listener has it: try another
            }
        }
        throw new IOException("no free port from 10000 to " + (below - 1));
    }

    private static int ephemeralLow() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int low = Files.exists(range) ? Integer.parseInt(Files.readString(range).strip().split("\\s+")[0]) : 32768;
        return Math.max(low, 20_000);
    }
}
