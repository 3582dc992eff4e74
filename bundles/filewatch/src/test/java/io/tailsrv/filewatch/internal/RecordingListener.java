package io.tailsrv.filewatch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.tailsrv.api.FileGone;
import io.tailsrv.api.FileListener;

/** Records each call as a line such as "grew 12" on a queue, for tests to await. */
class RecordingListener implements FileListener {

    static final long TIMEOUT_SECONDS = 5;

    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    volatile FileChannel channel;

    @Override
    public void opened(FileChannel file, long size) {
        channel = file;
        events.add("opened " + size);
    }

    @Override
    public void grew(long size) {
        events.add("grew " + size);
    }

    @Override
    public void truncated(long size) {
        events.add("truncated " + size);
    }

    @Override
    public void gone(FileGone how) {
        events.add("gone " + how);
    }

    @Override
    public void failed(String reason) {
        events.add("failed " + reason);
    }

    /** The next event, failing the test if none comes in time. */
    String next() throws InterruptedException {
        String event = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(event, "no event within " + TIMEOUT_SECONDS + " s");
        return event;
    }

    /**
     * Awaits "opened" then, if need be, growth to {@code size}: a file that is
     * created, then written, may be opened before it is written.
     */
    void expectOpenedReaching(long size) throws InterruptedException {
        String event = next();
        assertTrue(event.startsWith("opened "), event);
        long reached = Long.parseLong(event.substring("opened ".length()));
        while (reached < size) {
            event = next();
            assertTrue(event.startsWith("grew "), event);
            reached = Long.parseLong(event.substring("grew ".length()));
        }
        assertEquals(size, reached);
    }

    /** Fails if an event arrives within a short while. */
    void expectNothing() throws InterruptedException {
        assertNull(events.poll(200, TimeUnit.MILLISECONDS));
    }
}
