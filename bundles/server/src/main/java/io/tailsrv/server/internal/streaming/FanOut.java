package io.tailsrv.server.internal.streaming;

import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.InstanceCounters;
import io.tailsrv.server.internal.loop.Dispatch;
import io.tailsrv.server.internal.loop.IoLoop;
import io.tailsrv.server.internal.loop.IoThreads;

/**
 * One instance's served file and its clients, spread over the I/O loops
 * ({@link LoopClients}, one per loop). The file watch's thread reports the
 * file's changes here; each loop that has clients of the file then brings
 * them up to date, in parallel. Growth is handed over through the
 * {@link Dispatch}, once per read of the kernel's queue ({@link #reportsDone}),
 * so that a read that finds many files grown wakes each loop once.
 *
 * <p>A new connection lives on the instance's home loop (its listener's)
 * while fewer than {@value #SPREAD_AT} of its connections do: an append to
 * a file with a few clients then concerns one loop only, which the file
 * watch's thread can often serve itself, with no thread woken at all.
 * Beyond that, connections are spread over every loop, so that a file with
 * many clients is sent to from every core.
 */
public final class FanOut {

    /** Connections kept on the home loop before they are spread over every loop. */
    static final int SPREAD_AT = 16;

    private final IoThreads io;
    private final LoopClients home;
    private final LoopClients[] groups;
    /** Clients past their handshake, for max.clients. */
    private final AtomicInteger streaming = new AtomicInteger();
    private volatile ServedFile file;
    private volatile boolean closed;

    public FanOut(IoThreads io) {
        this.io = io;
        groups = new LoopClients[io.size()];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = new LoopClients(this, io.loop(i));
        }
        home = groups[io.nextForListener().index()];
    }

    /** The loop the instance listens on, and keeps its first connections on. */
    public IoLoop home() {
        return home.loop;
    }

    /** The loop a new connection goes to; on the home loop (the listener's thread). */
    public IoLoop placeConnection() {
        return home.connections() < SPREAD_AT ? home.loop : io.nextForClient();
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

    /** The file exists now: clients waiting for it start. On any thread (the first watch reports it on the caller's). */
    public void opened(FileChannel channel, long size) {
        file = new ServedFile(channel, size);
        for (LoopClients group : groups) {
            if (group.streaming() > 0) {
                group.loop.signal(group.refresh);
            }
        }
    }

    public void grew(long size) {
        ServedFile current = file;
        if (current != null) {
            current.grew(size);
            dispatchAll();
        }
    }

    public void truncated(long size) {
        ServedFile current = file;
        if (current != null) {
            current.truncated(size);
            dispatchAll();
        }
    }

    /**
     * The file is gone (and not lingered on): its clients are closed, new
     * ones wait for the next. Once every loop has closed its clients of the
     * file, {@code released} runs, on a loop's thread: nothing sends from
     * the file any more, and it may be closed.
     */
    public void gone(Runnable released) {
        file = null;
        AtomicInteger left = new AtomicInteger(groups.length);
        for (LoopClients group : groups) {
            group.loop.execute(() -> {
                group.refresh();
                if (left.decrementAndGet() == 0) {
                    released.run();
                }
            });
        }
    }

    /** The reports of one read of the kernel's queue are made: hand the loops what they asked for. */
    public void reportsDone() {
        io.dispatch().flush();
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

    /** A connection was accepted; on the home loop (the listener's thread). */
    public void accepted() {
        home.counters.accepted++;
    }

    /** A connection was refused before its handshake; on the home loop. */
    public void refusedAtAdmission(String reason) {
        home.counters.refused(reason);
    }

    /** The counters of every loop, summed, with the clients of the moment. */
    public InstanceCounters counters(int pending) {
        Tally tally = new Tally();
        for (LoopClients group : groups) {
            group.loop.call(() -> {
                group.addCounters(tally);
                return null;
            });
        }
        return new InstanceCounters(tally.accepted, tally.refused, tally.closed, tally.bytesSent, streaming(), pending,
                tally.slowestLagBytes, tally.slowestLagSeconds);
    }

    public List<ClientStatus> clients() {
        List<ClientStatus> all = new ArrayList<>();
        for (LoopClients group : groups) {
            all.addAll(group.loop.call(group::snapshot));
        }
        return all;
    }

    /** Asks every loop with clients of the file to bring them up to date, at the end of this read. */
    private void dispatchAll() {
        Dispatch dispatch = io.dispatch();
        for (LoopClients group : groups) {
            int clients = group.streaming();
            if (clients > 0) {
                dispatch.add(group.loop, group.refresh, clients);
            }
        }
    }
}
