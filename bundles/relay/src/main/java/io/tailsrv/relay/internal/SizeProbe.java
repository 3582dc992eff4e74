package io.tailsrv.relay.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import io.tailsrv.api.ClientTls;
import io.tailsrv.api.RelayConfig.Upstream;

/**
 * The upstream's file size, for the relay's lag: the offset protocol never
 * says it, but tailsrv's HTTP answers {@code HEAD /} with the file's size as
 * {@code Content-Length}. One request on a connection of its own (TLS too,
 * if the relay's is), closed once answered. An upstream with {@code http =
 * false} closes the connection without a byte (and logs a rejected header):
 * it will not say, and is not to be asked again.
 */
final class SizeProbe implements UpstreamConnection.Receiver {

    /** As tailsrv's own limit on a request head: an answer longer than this is no tailsrv's. */
    static final int MAX_HEAD_BYTES = 8192;

    /** Told how the probe went, once, on the loop thread. */
    interface Answer {

        /** The upstream's file holds this many bytes. */
        void size(long bytes);

        /**
         * No size: {@code again}, it may come next time (no connection, a
         * timeout); else the upstream does not answer HEAD with it (no HTTP).
         */
        void none(boolean again);
    }

    private final ByteBuffer head = ByteBuffer.allocate(MAX_HEAD_BYTES);
    private final Answer answer;
    private UpstreamConnection connection;
    private RelayLoop.Scheduled timeout;
    private boolean done;

    private boolean sent;

    private SizeProbe(Answer answer) {
        this.answer = answer;
    }

    /** Asks {@code upstream} for its size; {@code answer} is told, unless the probe is cancelled first. */
    static SizeProbe start(RelayLoop loop, Upstream upstream, ClientTls tls, Duration limit, Answer answer) {
        SizeProbe probe = new SizeProbe(answer);
        String request = "HEAD / HTTP/1.1\r\nHost: " + upstream + "\r\nUser-Agent: tailsrv-relay\r\nConnection: close\r\n\r\n";
        probe.timeout = loop.schedule(limit.toNanos(), () -> probe.finish(-1, true));
        probe.connection = UpstreamConnection.open(loop, upstream, tls, request, limit, probe);
        return probe;
    }

    /** Stops waiting; the answer never comes. */
    void cancel() {
        done = true;
        timeout.cancel();
        connection.close();
    }

    @Override
    public void sent() {
        sent = true;
    }

    @Override
    public void received(ByteBuffer bytes) {
        int n = Math.min(bytes.remaining(), head.remaining());
        head.put(bytes.slice(bytes.position(), n));
        bytes.position(bytes.limit());
        String text = new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1);
        if (text.contains("\r\n\r\n")) {
            finish(contentLength(text), false);
        } else if (!head.hasRemaining()) {
            finish(-1, false);
        }
    }

    @Override
    public void ended(String why) {
        // Closed without a byte once asked: what tailsrv does to a request it does not speak.
        boolean notHttp = sent && head.position() == 0 && why.equals(UpstreamConnection.CLOSED_BY_UPSTREAM);
        finish(-1, !notHttp);
    }

    /** A 200 answer's {@code Content-Length}; -1 for anything else. */
    static long contentLength(String head) {
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.") || !status[1].equals("200")) {
            return -1;
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    long length = Long.parseLong(lines[i].substring(colon + 1).strip());
                    return length >= 0 ? length : -1;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private void finish(long size, boolean again) {
        if (done) {
            return;
        }
        cancel();
        if (size >= 0) {
            answer.size(size);
        } else {
            answer.none(again);
        }
    }
}
