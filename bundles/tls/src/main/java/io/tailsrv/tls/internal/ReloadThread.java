package io.tailsrv.tls.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one thread, "tailsrv-tls", that reloads certificates for every
 * instance: the file watch's thread only hands it the news. It runs while
 * some instance uses TLS, and not otherwise.
 */
final class ReloadThread {

    static final String NAME = "tailsrv-tls";

    private ScheduledThreadPoolExecutor executor;
    private int users;

    /** The thread's executor, started for the first user. Pair with {@link #release()}. */
    synchronized ScheduledExecutorService acquire() {
        if (users++ == 0) {
            executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, NAME);
                thread.setDaemon(true);
                return thread;
            });
            // a reload put off by a newer change is cancelled: drop it from the queue at once
            executor.setRemoveOnCancelPolicy(true);
        }
        return executor;
    }

    /** Stops the thread when its last user goes; a reload that is due then is dropped. */
    synchronized void release() {
        if (--users == 0) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
