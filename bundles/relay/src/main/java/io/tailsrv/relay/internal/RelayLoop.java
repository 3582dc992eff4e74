package io.tailsrv.relay.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of every relay, "tailsrv-relay": a selector over their
 * non-blocking sockets, the tasks other threads hand over, and the timers
 * (backoff, timeouts, fsync, size probes). Everything a relay owns is
 * touched on this thread only, so none of it needs a lock.
 */
final class RelayLoop {

    static final String THREAD_NAME = "tailsrv-relay";

    /**
     * What one read from a socket may bring, and so the largest chunk
     * appended in one write. Direct, so that the socket reads into it and
     * the file is written from it without the JDK copying through a
     * temporary buffer; one for every relay, as they share this thread.
     */
    static final int CHUNK_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(RelayLoop.class);

    /** Told that its channel is ready for what it registered. */
    interface SelectionHandler {
        void selected(SelectionKey key);
    }

    /** A task due at a time; cancelled ones stay queued until then, and are skipped. Loop thread only. */
    static final class Scheduled implements Comparable<Scheduled> {

        private final long dueNanos;
        private final long sequence;
        private final Runnable task;
        private boolean cancelled;

        private Scheduled(long dueNanos, long sequence, Runnable task) {
            this.dueNanos = dueNanos;
            this.sequence = sequence;
            this.task = task;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Scheduled other) {
            int byTime = Long.compare(dueNanos - other.dueNanos, 0);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Scheduled> timers = new PriorityQueue<>();
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
    private long scheduledSoFar;
    private volatile boolean running = true;

    private RelayLoop(Selector selector) {
        this.selector = selector;
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
    }

    static RelayLoop start() throws IOException {
        RelayLoop loop = new RelayLoop(Selector.open());
        loop.thread.start();
        return loop;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread, soon; from any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code task} on the loop thread after {@code delayNanos}. Loop thread only. */
    Scheduled schedule(long delayNanos, Runnable task) {
        Scheduled scheduled = new Scheduled(System.nanoTime() + delayNanos, scheduledSoFar++, task);
        timers.add(scheduled);
        return scheduled;
    }

    /** Loop thread only. */
    SelectionKey register(SelectableChannel channel, SelectionHandler handler) throws ClosedChannelException {
        return channel.register(selector, 0, handler);
    }

    /** The buffer chunks are read into, cleared. Loop thread only; its content is gone once the caller returns. */
    ByteBuffer chunk() {
        return chunk.clear();
    }

    /** Ends the thread once the tasks handed over so far have run, and waits for it. */
    void stop() {
        execute(() -> running = false);
        if (!inLoop()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        boolean failing = false;
        while (running) {
            runTasks();
            runDueTimers();
            if (!running) {
                break;
            }
            try {
                selector.select(millisToNextTimer());
                if (failing) {
                    failing = false;
                    LOG.info("relay thread: select works again");
                }
            } catch (IOException e) {
                if (!failing) {
                    failing = true;
                    LOG.error("relay thread: select failed; trying again every second", e);
                }
                // Retrying at once would spin on a selector that keeps failing.
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            Iterator<SelectionKey> selected = selector.selectedKeys().iterator();
            while (selected.hasNext()) {
                SelectionKey key = selected.next();
                selected.remove();
                if (key.isValid()) {
                    guarded(() -> ((SelectionHandler) key.attachment()).selected(key));
                }
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn("relay thread: cannot close its selector: {}", e.getMessage());
        }
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            guarded(task);
        }
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        for (Scheduled next; (next = timers.peek()) != null && next.dueNanos - now <= 0; ) {
            timers.poll();
            if (!next.cancelled) {
                guarded(next.task);
            }
        }
    }

    /** 0 (no timeout) without a timer; else at least 1, as a select of 0 ms would wait forever. */
    private long millisToNextTimer() {
        while (!timers.isEmpty() && timers.peek().cancelled) {
            timers.poll();
        }
        Scheduled next = timers.peek();
        if (next == null) {
            return 0;
        }
        long nanos = next.dueNanos - System.nanoTime();
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    /** A relay's bug must not end the thread every other relay runs on. */
    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("relay thread: unexpected failure", e);
        }
    }
}
