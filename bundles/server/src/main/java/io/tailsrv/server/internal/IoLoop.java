package io.tailsrv.server.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One I/O thread: a selector over listening and client sockets of any number
 * of instances, plus the timers those sockets need. Everything a socket's
 * state is touched by runs on this thread, so that state needs no locks;
 * other threads hand work over with {@link #execute} or {@link #signal}.
 */
final class IoLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);
    private static final long STOP_WAIT_MILLIS = 5_000;

    final int index;
    final Selector selector;
    /** Reused for every read on this thread: client input is discarded or parsed at once. */
    final ByteBuffer scratch = ByteBuffer.allocateDirect(4096);

    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Queue<Share> signalled = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private volatile boolean running = true;

    IoLoop(int index) throws IOException {
        this.index = index;
        this.selector = Selector.open();
        this.thread = new Thread(this, "tailsrv-io-" + index);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on this thread, soon. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /**
     * Runs {@code task} on this thread and waits for its result (at once when
     * called from this thread). For control operations, never the data path.
     */
    <T> T call(Supplier<T> task) {
        if (inLoop() || !thread.isAlive()) {
            return task.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + thread.getName(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(thread.getName() + " did not answer within " + STOP_WAIT_MILLIS + " ms");
        }
    }

    /**
     * Tells this thread that {@code share}'s file changed. Signals coalesce:
     * however many arrive before the thread gets to it, the share is
     * refreshed once, and the thread is woken at most once.
     */
    void signal(Share share) {
        if (share.markSignalled()) {
            signalled.add(share);
            selector.wakeup();
        }
    }

    /** Runs {@code action} on this thread after {@code delayNanos}. */
    Timer schedule(long delayNanos, Runnable action) {
        Timer timer = new Timer(System.nanoTime() + delayNanos, action);
        timers.add(timer);
        return timer;
    }

    /** Stops the thread; the sockets it served must have been closed by their owners. */
    void stop() {
        running = false;
        selector.wakeup();
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn("closing the selector of {}: {}", thread.getName(), e.toString());
        }
    }

    /**
     * Lets the selector forget cancelled keys now, so that the sockets closed
     * with them are really closed (and their ports free) when this returns.
     * Ready events it collects are dropped; the selector is level-triggered,
     * so they are reported again by the next select.
     */
    void flushCancelledKeys() {
        if (!selector.isOpen()) {
            return; // closing the selector deregistered every key already
        }
        try {
            selector.selectNow(key -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                runTasks();
                runSignals();
                selector.select(this::dispatch, millisToNextTimer());
                runTimers();
            } catch (IOException | RuntimeException e) {
                // One bad event must not end the thread that serves every client on it.
                LOG.error("unexpected error on {}", thread.getName(), e);
            }
        }
    }

    private void dispatch(SelectionKey key) {
        try {
            ((Ready) key.attachment()).ready(key);
        } catch (RuntimeException e) {
            LOG.error("unexpected error handling a socket on {}", thread.getName(), e);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private void runSignals() {
        Share share;
        while ((share = signalled.poll()) != null) {
            share.refresh();
        }
    }

    private long millisToNextTimer() {
        Timer next = timers.peek();
        if (next == null) {
            return 0; // select without timeout
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(next.at - System.nanoTime()) + 1;
        return Math.max(1, millis);
    }

    private void runTimers() {
        long now = System.nanoTime();
        Timer next;
        while ((next = timers.peek()) != null && next.at - now <= 0) {
            timers.poll();
            if (!next.cancelled) {
                next.action.run();
            }
        }
    }

    /** A scheduled action; cancelling it leaves it in the queue until its time, then skips it. */
    static final class Timer implements Comparable<Timer> {
        final long at;
        final Runnable action;
        boolean cancelled;

        Timer(long at, Runnable action) {
            this.at = at;
            this.action = action;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer other) {
            return Long.compare(at - other.at, 0);
        }
    }
}
