package io.tailsrv.relay.internal;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/** Appends 64 KiB at a time to an upstream's file, about 60 MB/s, until closed. */
final class OriginWriter implements AutoCloseable {

    private final Path file;
    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile long written;
    private volatile Exception failure;

    OriginWriter(Path file) {
        this.file = file;
        this.thread = new Thread(this::write, "test-writer");
        thread.start();
    }

    /** Waits (polling: nothing announces it) until this many bytes are written. */
    void awaitWritten(long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + RelayTestSupport.WAIT.toNanos();
        while (written < bytes && failure == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writer wrote " + written + " bytes, not " + bytes);
            }
            Thread.sleep(2);
        }
    }

    private void write() {
        long seed = 100;
        try {
            while (!stop.get()) {
                byte[] chunk = RelayTestSupport.randomBytes(64 * 1024, seed++);
                RelayTestSupport.append(file, chunk);
                written += chunk.length;
                // A steady stream rather than a flood: relays and upstreams are to be caught mid-stream.
                Thread.sleep(1);
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /** Stops writing; what was written is all there. */
    @Override
    public void close() throws Exception {
        stop.set(true);
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }
}
