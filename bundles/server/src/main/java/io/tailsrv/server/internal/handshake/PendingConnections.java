package io.tailsrv.server.internal.handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections of one instance that are still in their handshake, oldest
 * first, bounded by {@code max.pending}: when a new one would exceed it, the
 * one that has waited longest is closed to make room. A flood of silent
 * sockets then cannot keep out a client that sends its request promptly,
 * and {@code max.clients} counts streaming clients only, as nginx's
 * {@code limit_conn} counts requests, not connections.
 *
 * <p>Connections join on the listener's thread and leave on their own I/O
 * threads; each {@link Handshake} settles exactly once ({@link Handshake#settle}),
 * by finishing, closing or being chosen for eviction, whichever comes first.
 * Settled entries are dropped from the queue lazily, as they reach its head.
 */
public final class PendingConnections {

    private final ConcurrentLinkedDeque<Handshake> queue = new ConcurrentLinkedDeque<>();
    private final AtomicInteger count = new AtomicInteger();

    /**
     * Counts {@code joining} in. If that makes more than {@code max}, returns
     * the longest-waiting other connection, already settled, for its loop to
     * close; otherwise null. Called by one thread per instance (its listener's).
     */
    Handshake join(Handshake joining, int max) {
        queue.addLast(joining);
        int pending = count.incrementAndGet();
        dropSettledHead();
        if (pending <= max) {
            return null;
        }
        Handshake oldest;
        while ((oldest = queue.pollFirst()) != null) {
            if (oldest == joining) {
                queue.addFirst(joining); // the others all finished meanwhile: there is room after all
                return null;
            }
            if (oldest.settle()) {
                count.decrementAndGet();
                return oldest;
            }
        }
        return null;
    }

    /** The handshake ended; false if it was settled already (chosen for eviction, say). */
    boolean leave(Handshake leaving) {
        if (leaving.settle()) {
            count.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Connections in their handshake now. */
    public int count() {
        return Math.max(0, count.get());
    }

    /** The connections still in their handshake, oldest first; a snapshot for the console. */
    public List<Handshake> snapshot() {
        List<Handshake> out = new ArrayList<>();
        for (Handshake handshake : queue) {
            if (!handshake.isSettled()) {
                out.add(handshake);
            }
        }
        return out;
    }

    private void dropSettledHead() {
        Handshake head;
        while ((head = queue.peekFirst()) != null && head.isSettled()) {
            queue.remove(head); // the head, unless another thread took it: then the first of its kind
        }
    }
}
