package io.tailsrv.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Tries to connect to a port every millisecond until it accepts, and keeps
 * the moment of the last refused attempt: whoever claims the port was
 * listening earlier than that is wrong.
 */
final class PortProbe implements AutoCloseable {

    private final int port;
    private final Thread thread;
    private volatile long lastRefusalNanos;
    private volatile boolean stopped;

    private PortProbe(int port) {
        this.port = port;
        this.thread = new Thread(this::probe, "port-probe-" + port);
        thread.setDaemon(true);
    }

    static PortProbe start(int port) {
        PortProbe probe = new PortProbe(port);
        probe.lastRefusalNanos = System.nanoTime();
        probe.thread.start();
        return probe;
    }

    /** Waits until the port accepted; returns the start of the last attempt it refused. */
    long awaitLastRefusal() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (thread.isAlive()) {
            throw new AssertionError("port " + port + " never accepted");
        }
        return lastRefusalNanos;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join();
    }

    private void probe() {
        while (!stopped) {
            long attempt = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException refused) {
                lastRefusalNanos = attempt;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
