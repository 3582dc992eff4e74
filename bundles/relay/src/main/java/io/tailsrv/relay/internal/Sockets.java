package io.tailsrv.relay.internal;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jdk.net.ExtendedSocketOptions;

/** What every socket to an upstream gets, and how its failures read in a log line. */
final class Sockets {

    /**
     * Keepalive probes after this long without a byte either way, then every
     * {@link #KEEPALIVE_INTERVAL_SECONDS}, {@link #KEEPALIVE_PROBES} times: an
     * upstream whose machine died (no reset ever comes) is given up within
     * about a minute, where the kernel's defaults take over two hours; an
     * idle file sends nothing, so silence alone says nothing.
     */
    static final int KEEPALIVE_IDLE_SECONDS = 30;
    static final int KEEPALIVE_INTERVAL_SECONDS = 10;
    static final int KEEPALIVE_PROBES = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Sockets.class);
    private static volatile boolean keepaliveTimingsUnavailable;

    private Sockets() {
    }

    static SocketChannel open() throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            keepaliveTimings(channel);
        } catch (IOException | RuntimeException e) {
            close(channel);
            throw e;
        }
        return channel;
    }

    static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing is left to lose on a socket being given up.
        }
    }

    /** A failure in a few words, lower-case as log lines are: "connection refused", "TLS: ...". */
    static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        if (e instanceof SSLException) {
            return "TLS: " + message;
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /**
     * jdk.net's options; a framework that does not export the package
     * leaves the kernel's timings, said once.
     */
    private static void keepaliveTimings(SocketChannel channel) throws IOException {
        if (keepaliveTimingsUnavailable) {
            return;
        }
        try {
            channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_IDLE_SECONDS);
            channel.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL_SECONDS);
            channel.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_PROBES);
        } catch (NoClassDefFoundError | UnsupportedOperationException e) {
            keepaliveTimingsUnavailable = true;
            LOG.warn("relays: TCP keepalive's timings cannot be set here ({}); a dead upstream is noticed on the kernel's timings",
                    e.toString());
        }
    }
}
