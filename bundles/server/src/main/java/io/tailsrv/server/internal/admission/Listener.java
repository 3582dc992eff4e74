package io.tailsrv.server.internal.admission;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.server.internal.config.Settings;
import io.tailsrv.server.internal.loop.IoLoop;
import io.tailsrv.server.internal.loop.ReadyHandler;

/** One instance's listening socket, served by one of the shared I/O loops; what it accepts goes to {@link Admission}. */
public final class Listener implements ReadyHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    private static final int BACKLOG = 4096;
    /** Connections taken per readiness event, so one busy port cannot hog its thread. */
    private static final int ACCEPTS_PER_EVENT = 64;
    /** How long accepting pauses after a failure such as running out of file descriptors. */
    private static final long PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Admission admission;
    private final ServerSocketChannel server;
    private final IoLoop loop;
    private SelectionKey key;

    private Listener(Admission admission, ServerSocketChannel server, IoLoop loop) {
        this.admission = admission;
        this.server = server;
        this.loop = loop;
    }

    /** Binds and starts accepting at once. */
    public static Listener open(Settings settings, Admission admission, IoLoop loop) throws IOException {
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
        Listener listener = new Listener(admission, server, loop);
        loop.call(() -> {
            try {
                listener.key = loop.register(server, SelectionKey.OP_ACCEPT, listener);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        return listener;
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
            admission.admit(socket);
        }
    }

    /** Closes the listening socket; the port is free when this returns. */
    public void close() {
        loop.call(() -> {
            if (key != null) {
                key.cancel();
            }
            try {
                server.close();
            } catch (IOException e) {
                admission.context().log().warn(LOG)
                        .log("[{}] closing the listening socket: {}", admission.context().name(), e.toString());
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
        admission.context().log().warn(LOG).log("[{}] accepting a connection failed ({}); pausing accepts for 1 s",
                admission.context().name(), e.getMessage());
        key.interestOps(0);
        loop.schedule(PAUSE_NANOS, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }
}
