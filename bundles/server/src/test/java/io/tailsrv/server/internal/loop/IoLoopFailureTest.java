package io.tailsrv.server.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A loop whose select keeps failing (a broken selector, the system out of
 * memory) rests between attempts instead of spinning, and carries on once
 * select works again. No real selector can be made to fail on demand, so
 * this one fails for as long as it is told to.
 */
class IoLoopFailureTest {

    @Test
    void aFailingSelectIsRetriedOnceASecondNotInATightLoop() throws Exception {
        FailingSelector selector = new FailingSelector();
        IoLoop loop = new IoLoop(0, selector);
        loop.start();
        try {
            TimeUnit.MILLISECONDS.sleep(2_500); // the time that passes is what is measured
            int attempts = selector.attempts.get();
            System.out.println("IoLoopFailureTest: " + attempts + " select attempts in 2.5 s of failures");
            assertTrue(attempts >= 2 && attempts <= 4, attempts + " attempts in 2.5 s: one a second expected");

            selector.failing = false;
            AtomicInteger ran = new AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            loop.execute(ran::incrementAndGet);
            while (ran.get() == 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            assertEquals(1, ran.get(), "the loop works again once select does");
        } finally {
            loop.stop();
        }
    }

    /** Fails every select while {@link #failing}; otherwise waits to be woken, as an idle selector does. */
    private static final class FailingSelector extends AbstractSelector {

        final AtomicInteger attempts = new AtomicInteger();
        volatile boolean failing = true;
        private final Object wake = new Object();
        private boolean woken;

        FailingSelector() {
            super(SelectorProvider.provider());
        }

        @Override
        public int select(long timeout) throws IOException {
            attempts.incrementAndGet();
            if (failing) {
                throw new IOException("select failed (as told)");
            }
            synchronized (wake) {
                try {
                    if (!woken) {
                        wake.wait(timeout == 0 ? 0 : timeout);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                woken = false;
            }
            return 0;
        }

        @Override
        public int select() throws IOException {
            return select(0);
        }

        @Override
        public int selectNow() {
            return 0;
        }

        @Override
        public Selector wakeup() {
            synchronized (wake) {
                woken = true;
                wake.notifyAll();
            }
            return this;
        }

        @Override
        public Set<SelectionKey> keys() {
            return Set.of();
        }

        @Override
        public Set<SelectionKey> selectedKeys() {
            return Set.of();
        }

        @Override
        protected void implCloseSelector() {
            wakeup();
        }

        @Override
        protected SelectionKey register(AbstractSelectableChannel channel, int ops, Object attachment) {
            throw new UnsupportedOperationException();
        }
    }
}
