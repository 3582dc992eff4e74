package io.tailsrv.server.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One I/O thread: a selector over listening and client sockets of any number
 * of instances, plus the timers those sockets need. Other threads hand work
 * over with {@link #execute} or {@link #signal}.
 *
 * <p>The state of this loop's sockets, shares and timers is guarded by
 * {@link #lock}, which the thread holds whenever it is not blocked in
 * select. That lets the file watch's thread, when the loop is idle, send an
 * append to the loop's clients itself ({@link #refreshOrSignal}) instead of waking
 * the loop to do it: one thread hand-off per append instead of two, which is
 * most of the append-to-delivery latency of an idle server.
 */
final class IoLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);
    private static final long STOP_WAIT_MILLIS = 5_000;
    /** Cancelled timers are swept out of the queue only past this many, and only once they are half of it. */
    private static final int PURGE_AFTER = 1024;

    final int index;
    final Selector selector;
    /** Reused for every read on this thread: client input is discarded or parsed at once. */
    final ByteBuffer scratch = ByteBuffer.allocateDirect(4096);

    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Set, under the lock, by another thread that changed a key's interest
     * or cancelled a key while the loop was blocked in select: the selector
     * applies either only in its next select, so it must be woken.
     */
    private boolean keysChangedElsewhere;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Queue<Share> signalled = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Timers cancelled but still queued (see {@link #timerCancelled}). */
    private int cancelledTimers;
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

    /**
     * Refreshes {@code share} on the calling thread if the loop is idle
     * (blocked in select, or between turns) and its lock free; otherwise
     * signals it as {@link #signal} does. The caller is the file watch's
     * thread, which learned that the share's file changed.
     */
    void refreshOrSignal(Share share) {
        if (inLoop() || !lock.tryLock()) { // on the loop, refresh in order, not in the middle of a turn
            signal(share);
            return;
        }
        try {
            share.refresh();
        } finally {
            boolean wake = keysChangedElsewhere;
            keysChangedElsewhere = false;
            lock.unlock();
            if (wake) {
                selector.wakeup();
            }
        }
    }

    /** A key's interest changed or it was cancelled: the selector must hear of it before it blocks again. */
    void keyChanged() {
        if (!inLoop()) {
            keysChangedElsewhere = true;
        }
    }

    /** Runs {@code action} on this thread after {@code delayNanos}. */
    Timer schedule(long delayNanos, Runnable action) {
        Timer timer = new Timer(this, System.nanoTime() + delayNanos, action);
        timers.add(timer);
        keyChanged(); // off the loop, the select under way waits with the old timeout
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
        long timeout = 0;
        while (running) {
            try {
                selector.select(timeout); // the one place the lock is not held
            } catch (IOException | RuntimeException e) {
                LOG.error("unexpected error selecting on {}", thread.getName(), e);
            }
            lock.lock();
            try {
                runTurn();
                timeout = millisToNextTimer();
            } catch (RuntimeException e) {
                // One bad event must not end the thread that serves every client on it.
                LOG.error("unexpected error on {}", thread.getName(), e);
            } finally {
                keysChangedElsewhere = false; // the next select applies them
                lock.unlock();
            }
        }
    }

    private void runTurn() {
        dispatchSelected();
        runTimers();
        runTasks();
        runSignals();
    }

    private void dispatchSelected() {
        Set<SelectionKey> selected = selector.selectedKeys();
        if (selected.isEmpty()) {
            return;
        }
        for (Iterator<SelectionKey> keys = selected.iterator(); keys.hasNext(); ) {
            SelectionKey key = keys.next();
            keys.remove();
            if (key.isValid()) {
                dispatch(key);
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
            if (next.cancelled) {
                cancelledTimers--;
            } else {
                next.run();
            }
        }
    }

    /**
     * A cancelled timer stays queued until its time. Connections that come and
     * go faster than header.timeout would pile them up, so once they make up
     * half the queue they are swept out in one pass: amortised over the
     * cancels, that costs O(1) each, and the queue stays within twice the
     * timers still pending.
     */
    private void timerCancelled() {
        cancelledTimers++;
        if (cancelledTimers > PURGE_AFTER && cancelledTimers * 2 > timers.size()) {
            timers.removeIf(queued -> queued.cancelled);
            cancelledTimers = 0;
        }
    }

    /**
     * A scheduled action, touched on its loop's thread only. Cancelling it
     * lets go of the action (and of whatever that holds: a header timer holds
     * its client) at once; the timer itself leaves the queue at its time or
     * in the next sweep.
     */
    static final class Timer implements Comparable<Timer> {
        final long at;
        private final IoLoop loop;
        private Runnable action; // null once run or cancelled
        boolean cancelled;

        Timer(IoLoop loop, long at, Runnable action) {
            this.loop = loop;
            this.at = at;
            this.action = action;
        }

        /** Does nothing if the timer ran already or was cancelled. */
        void cancel() {
            if (action != null) {
                action = null;
                cancelled = true;
                loop.timerCancelled();
            }
        }

        private void run() {
            Runnable due = action;
            action = null;
            due.run();
        }

        @Override
        public int compareTo(Timer other) {
            return Long.compare(at - other.at, 0);
        }
    }
}
