package io.tailsrv.server.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/** One instance's listening socket, served by one of the shared I/O threads. */
final class Acceptor implements Ready {

    private static final int BACKLOG = 4096;
    /** Connections taken per readiness event, so one busy port cannot hog its thread. */
    private static final int ACCEPTS_PER_EVENT = 64;
    /** How long accepting pauses after a failure such as running out of file descriptors. */
    private static final long PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Instance instance;
    private final ServerSocketChannel server;
    private final IoLoop loop;
    private SelectionKey key;

    private Acceptor(Instance instance, ServerSocketChannel server, IoLoop loop) {
        this.instance = instance;
        this.server = server;
        this.loop = loop;
    }

    /** Binds and starts accepting at once. */
    static Acceptor open(Instance instance, Settings settings, IoLoop loop) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            InetSocketAddress address = settings.bind() == null
                    ? new InetSocketAddress(settings.port())
                    : new InetSocketAddress(settings.bind(), settings.port());
            server.bind(address, BACKLOG);
            server.configureBlocking(false);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        Acceptor acceptor = new Acceptor(instance, server, loop);
        loop.call(() -> {
            try {
                acceptor.key = server.register(loop.selector, SelectionKey.OP_ACCEPT, acceptor);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        return acceptor;
    }

    @Override
    public void ready(SelectionKey readyKey) {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                pause(e);
                return;
            }
            if (socket == null) {
                return;
            }
            instance.admit(socket);
        }
    }

    /** Closes the listening socket; the port is free when this returns. */
    void close() {
        loop.call(() -> {
            if (key != null) {
                key.cancel();
            }
            try {
                server.close();
            } catch (IOException e) {
                instance.atWarn().log("[{}] closing the listening socket: {}", instance.name(), e.toString());
            }
            loop.flushCancelledKeys();
            return null;
        });
    }

    /**
     * Stops accepting for a moment. Accept failures (out of file descriptors,
     * out of memory) persist while the listener stays readable; retrying at
     * once would spin the thread without helping anyone.
     */
    private void pause(IOException e) {
        instance.atWarn().log("[{}] accepting a connection failed ({}); pausing accepts for 1 s",
                instance.name(), e.getMessage());
        key.interestOps(0);
        loop.schedule(PAUSE_NANOS, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }
}
