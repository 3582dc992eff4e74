package io.tailsrv.relay.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.tailsrv.api.RelayStatus;
import io.tailsrv.api.RelayStatus.State;

/** A relay's events, as its listener is told them, for a test to wait on. */
final class StatusEvents implements Consumer<RelayStatus> {

    private final BlockingQueue<RelayStatus> unread = new LinkedBlockingQueue<>();
    private final List<RelayStatus> all = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private final Map<RelayStatus, Long> told = Collections.synchronizedMap(new IdentityHashMap<>());

    @Override
    public void accept(RelayStatus status) {
        told.put(status, System.nanoTime());
        threads.add(Thread.currentThread().getName());
        all.add(status);
        unread.add(status);
    }

    /** The next event in {@code state}, skipping others. */
    RelayStatus await(State state, Duration wait) throws InterruptedException {
        return await(status -> status.state() == state, state.word(), wait);
    }

    RelayStatus await(Predicate<RelayStatus> wanted, String what, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            RelayStatus next = unread.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no " + what + " event within " + wait + "; events: " + all);
            }
            if (wanted.test(next)) {
                return next;
            }
        }
    }

    /** When the relay told it ({@code System.nanoTime()}), however late the test took it. */
    long toldAtNanos(RelayStatus status) {
        return told.get(status);
    }

    List<RelayStatus> all() {
        return List.copyOf(all);
    }

    /** The threads the events came on. */
    List<String> threads() {
        return List.copyOf(threads);
    }
}
