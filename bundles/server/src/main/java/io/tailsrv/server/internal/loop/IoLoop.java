package io.tailsrv.server.internal.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One I/O thread: a selector over listening and client sockets of any number
 * of instances, plus the timers those sockets need. The thread owns the
 * state of its sockets; other threads hand work over with {@link #execute},
 * {@link #call} or {@link #signal}.
 *
 * <p>That state is guarded by {@link #lock}, which the thread holds whenever
 * it is not blocked in select. That lets the file watch's thread, when the
 * loop is idle, do a small task itself ({@link #runNowIfIdle}, through
 * {@link Dispatch}) instead of waking the loop to do it: one thread hand-off
 * per append instead of two, which is most of the append-to-delivery
 * latency of an idle server.
 */
public final class IoLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);
    private static final long STOP_WAIT_MILLIS = 5_000;
    /** Cancelled timers are swept out of the queue only past this many, and only once they are half of it. */
    private static final int PURGE_AFTER = 1024;
    /**
     * How long the loop rests after select failed. A failure that persists
     * (the selector broken, the system out of memory) would otherwise spin
     * the thread; netty's loop rests a second too.
     */
    static final long FAILURE_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** At least SSLSession.getPacketBufferSize() of the JDK's engines (16 709 bytes), rounded up. */
    public static final int TLS_RECORD_BUFFER = 17 * 1024;
    /**
     * Room for four whole records, written to the socket at once: a record a
     * write costs a TLS client a third more CPU in system calls.
     */
    public static final int TLS_BATCH_BUFFER = 4 * TLS_RECORD_BUFFER;

    private final int index;
    private final Selector selector;
    /** Reused for every read on this thread: client input is parsed or discarded at once. */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(4096);
    /**
     * Buffers for TLS records and the file bytes they carry: the largest
     * record (16 KiB of data plus its header, padding and tag) fits one.
     */
    private final BufferPool records = new BufferPool(TLS_RECORD_BUFFER, 64);
    /** Buffers for file bytes on their way out to TLS clients, and the records they become. */
    private final BufferPool batches = new BufferPool(TLS_BATCH_BUFFER, 16);
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Set, under the lock, by another thread that changed a key's interest,
     * cancelled a key or added a timer while the loop was blocked in select:
     * the selector applies either only in its next select, so it must be woken.
     */
    private boolean changedElsewhere;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Queue<LoopTask> signalled = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Timers cancelled but still queued (see {@link #timerCancelled}). */
    private int cancelledTimers;
    private volatile boolean running = true;
    /** Consecutive failed selects, for the log: the first is an error, the rest are counted. */
    private long selectFailures;

    public IoLoop(int index) throws IOException {
        this(index, Selector.open());
    }

    IoLoop(int index, Selector selector) {
        this.index = index;
        this.selector = selector;
        this.thread = new Thread(this, "tailsrv-io-" + index);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public int index() {
        return index;
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Whether the loop is blocked in select (or between turns), so that its lock is free. */
    public boolean isIdle() {
        return !lock.isLocked();
    }

    /** This thread's buffer for reads whose bytes are used at once; only under the loop's lock. */
    public ByteBuffer scratch() {
        return scratch;
    }

    /** Buffers lent to this loop's connections while they hold bytes in flight; under the loop's lock. */
    public BufferPool records() {
        return records;
    }

    public BufferPool batches() {
        return batches;
    }

    /** Registers {@code channel} with this loop's selector; on the loop, or under its lock. */
    public SelectionKey register(SelectableChannel channel, int ops, ReadyHandler handler)
            throws ClosedChannelException {
        SelectionKey key = channel.register(selector, ops, handler);
        keyChanged();
        return key;
    }

    /** Runs {@code task} on this thread, soon. */
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /**
     * Runs {@code task} on this thread and waits for its result (at once when
     * called from this thread). For control operations, never the data path.
     */
    public <T> T call(Supplier<T> task) {
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

    /** Asks this thread to run {@code task}; requests coalesce (see {@link LoopTask}). */
    public void signal(LoopTask task) {
        if (task.markQueued()) {
            signalled.add(task);
            selector.wakeup();
        }
    }

    /**
     * Runs {@code tasks} on the calling thread, under the loop's lock, if the
     * loop is idle (blocked in select, or between turns); false, running
     * nothing, if it is not. The caller is the file watch's thread, which
     * learned that files changed; the tasks must be short.
     */
    boolean runNowIfIdle(List<LoopTask> tasks) {
        if (inLoop() || !lock.tryLock()) { // on the loop, run in order, not in the middle of a turn
            return false;
        }
        try {
            for (int i = 0; i < tasks.size(); i++) {
                tasks.get(i).run();
            }
        } finally {
            boolean wake = changedElsewhere;
            changedElsewhere = false;
            lock.unlock();
            if (wake) {
                selector.wakeup();
            }
        }
        return true;
    }

    /** A key's interest changed or it was cancelled: the selector must hear of it before it blocks again. */
    public void keyChanged() {
        if (!inLoop()) {
            changedElsewhere = true;
        }
    }

    /** Runs {@code action} on this thread after {@code delayNanos}; on the loop, or under its lock. */
    public Timer schedule(long delayNanos, Runnable action) {
        Timer timer = new Timer(this, System.nanoTime() + delayNanos, action);
        timers.add(timer);
        keyChanged(); // off the loop, the select under way waits with the old timeout
        return timer;
    }

    /** Stops the thread; the sockets it served must have been closed by their owners. */
    public void stop() {
        running = false;
        selector.wakeup();
        LockSupport.unpark(thread);
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
    public void flushCancelledKeys() {
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
            if (!select(timeout)) {
                continue;
            }
            lock.lock();
            try {
                runTurn();
                timeout = millisToNextTimer();
            } catch (RuntimeException e) {
                // One bad event must not end the thread that serves every client on it.
                LOG.error("unexpected error on {}", thread.getName(), e);
            } finally {
                changedElsewhere = false; // the next select applies them
                lock.unlock();
            }
        }
    }

    /** Selects, the one place the lock is not held; false after a failure, once the loop has rested. */
    private boolean select(long timeout) {
        try {
            selector.select(timeout);
            if (selectFailures > 0) {
                LOG.info("{}: select works again after {} failures", thread.getName(), selectFailures);
                selectFailures = 0;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (!running) {
                return false;
            }
            if (selectFailures++ == 0) {
                LOG.error("select failed on {}; retrying once a second until it works", thread.getName(), e);
            }
            LockSupport.parkNanos(this, FAILURE_PAUSE_NANOS);
            return false;
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
            ((ReadyHandler) key.attachment()).ready(key);
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
        LoopTask task;
        while ((task = signalled.poll()) != null) {
            task.run();
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
    void timerCancelled() {
        cancelledTimers++;
        if (cancelledTimers > PURGE_AFTER && cancelledTimers * 2 > timers.size()) {
            timers.removeIf(queued -> queued.cancelled);
            cancelledTimers = 0;
        }
    }

    /** Timers queued, cancelled ones included; for tests. */
    int queuedTimers() {
        return timers.size();
    }
}
