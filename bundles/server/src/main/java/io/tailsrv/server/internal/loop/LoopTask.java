package io.tailsrv.server.internal.loop;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Work that other threads ask one loop to do, any number of times: however
 * many requests arrive before the loop gets to it, it runs once, and the
 * loop is woken at most once. See {@link IoLoop#signal}.
 */
public final class LoopTask {

    private final AtomicBoolean queued = new AtomicBoolean();
    private final Runnable work;

    /** {@code work} runs on the loop's thread (or under its lock: see {@link IoLoop#runNowIfIdle}). */
    public LoopTask(Runnable work) {
        this.work = work;
    }

    /** True if it was not queued, i.e. the caller must queue it. */
    boolean markQueued() {
        return queued.compareAndSet(false, true);
    }

    /**
     * Runs the work. The flag clears first, so that a request made while the
     * work reads its inputs queues it again rather than being lost.
     */
    void run() {
        queued.set(false);
        work.run();
    }
}
