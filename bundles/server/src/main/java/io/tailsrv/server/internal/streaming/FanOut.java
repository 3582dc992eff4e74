package io.tailsrv.server.internal.streaming;

import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.server.internal.loop.IoLoop;
import io.tailsrv.server.internal.loop.IoThreads;

/**
 * One instance's served file and its clients, spread over the I/O loops
 * ({@link LoopClients}, one per loop). The file watch's thread reports the
 * file's changes here; each loop that has clients of the file then brings
 * them up to date, in parallel.
 *
 * <p>One of those loops need not even be woken: if it is idle, the file
 * watch's thread runs its pass itself, saving a thread hand-off per append.
 * It does so only for a loop with at most {@value #INLINE_CLIENTS} clients
 * of the file, so that the file watch's thread spends a few sends at most
 * and goes back to its events; larger groups are always served by their
 * own loop.
 */
public final class FanOut {

    /** The most clients on one loop that the file watch's thread serves itself. */
    static final int INLINE_CLIENTS = 8;

    private final LoopClients[] groups;
    /** Clients past their handshake, for max.clients. */
    private final AtomicInteger streaming = new AtomicInteger();
    private volatile ServedFile file;
    private volatile boolean closed;

    public FanOut(IoThreads io) {
        groups = new LoopClients[io.size()];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = new LoopClients(this, io.loop(i));
        }
    }

    /** This instance's connections on {@code loop}. */
    public LoopClients on(IoLoop loop) {
        return groups[loop.index()];
    }

    /** The file being served, or null while there is none. */
    public ServedFile file() {
        return file;
    }

    // ---- the file's changes, on the file watch's thread ----

    public void opened(FileChannel channel, long size) {
        file = new ServedFile(channel, size);
        signalAll();
    }

    public void grew(long size) {
        ServedFile current = file;
        if (current != null) {
            current.grew(size);
            signalAll();
        }
    }

    public void truncated(long size) {
        ServedFile current = file;
        if (current != null) {
            current.truncated(size);
            signalAll();
        }
    }

    /** The file is gone (and not lingered on): its clients are closed, new ones wait for the next. */
    public void gone() {
        file = null;
        signalAll();
    }

    // ---- control, from any thread ----

    /** Closes every connection, in whatever stage, and refuses new ones; returns once done. */
    public void closeAll(String why) {
        closed = true;
        file = null;
        for (LoopClients group : groups) {
            group.loop.call(() -> {
                group.closeAll(why);
                return null;
            });
        }
    }

    /** As {@link #closeAll}, without waiting: from a thread that must not block on the loops. */
    public void closeAllSoon(String why) {
        closed = true;
        file = null;
        for (LoopClients group : groups) {
            group.loop.execute(() -> group.closeAll(why));
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Streaming clients (header received, waiting for the file included). */
    public int streaming() {
        return Math.max(0, streaming.get());
    }

    /** Takes a place among at most {@code max} streaming clients (0: no limit); false if full. */
    boolean takeSlot(int max) {
        int now = streaming.incrementAndGet();
        if (max > 0 && now > max) {
            streaming.decrementAndGet();
            return false;
        }
        return true;
    }

    void releaseSlot() {
        streaming.decrementAndGet();
    }

    public long bytesSent() {
        long total = 0;
        for (LoopClients group : groups) {
            total += group.loop.call(() -> group.bytesSent);
        }
        return total;
    }

    public List<ClientStatus> clients() {
        List<ClientStatus> all = new ArrayList<>();
        for (LoopClients group : groups) {
            all.addAll(group.loop.call(group::snapshot));
        }
        return all;
    }

    /**
     * Brings every loop's clients up to date with the file. The loops of all
     * groups but one are woken and work in parallel; the last group with
     * clients is served on this thread if its loop is idle and it is small.
     */
    private void signalAll() {
        LoopClients last = null;
        for (LoopClients group : groups) {
            if (group.streaming() > 0) {
                if (last != null) {
                    last.loop.signal(last.refresh);
                }
                last = group;
            }
        }
        if (last != null) {
            if (last.streaming() <= INLINE_CLIENTS) {
                last.loop.runNowOrSignal(last.refresh);
            } else {
                last.loop.signal(last.refresh);
            }
        }
    }
}
