package io.tailsrv.tls.internal;

import java.time.Duration;
import java.util.List;

/** The JVM's live threads by name: nothing announces that a thread has ended, so this polls to a deadline. */
final class Threads {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private Threads() {
    }

    static List<Thread> named(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).toList();
    }

    /** Waits for every thread of that name to end; fails after a while. */
    static void awaitNone(String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!named(name).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("thread " + name + " still runs after " + WAIT);
            }
            for (Thread thread : named(name)) {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
    }
}
