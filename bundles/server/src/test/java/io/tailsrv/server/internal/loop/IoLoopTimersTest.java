package io.tailsrv.server.internal.loop;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Header timers of connections that come and go must not pile up: a
 * cancelled timer lets go of its action (which holds its client) at once,
 * and cancelled timers are swept from the queue. The loop's thread is not
 * started: this thread plays it.
 */
class IoLoopTimersTest {

    private IoLoop loop;

    @BeforeEach
    void open() throws Exception {
        loop = new IoLoop(0);
    }

    @AfterEach
    void close() throws Exception {
        loop.stop();
    }

    @Test
    void aCancelledTimerLetsGoOfItsActionAtOnce() throws Exception {
        Object client = new Object();
        WeakReference<Object> held = new WeakReference<>(client);
        Timer timer = loop.schedule(TimeUnit.SECONDS.toNanos(30), client::hashCode);

        client = null;
        timer.cancel();

        awaitCollected(held, "the cancelled timer's client");
    }

    @Test
    void cancelledTimersAreSweptFromTheQueue() throws Exception {
        List<WeakReference<Timer>> cancelled = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            Timer timer = loop.schedule(TimeUnit.SECONDS.toNanos(30), () -> { });
            timer.cancel();
            cancelled.add(new WeakReference<>(timer));
        }

        long queued = Long.MAX_VALUE;
        for (int i = 0; i < 50 && queued > 1024; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(10);
            queued = cancelled.stream().filter(timer -> timer.get() != null).count();
        }
        assertTrue(queued <= 1024, queued + " of 100000 cancelled timers are still queued");
    }

    private static void awaitCollected(WeakReference<?> reference, String what) throws InterruptedException {
        for (int i = 0; i < 50 && reference.get() != null; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(10);
        }
        assertNull(reference.get(), what + " is still reachable");
    }
}
