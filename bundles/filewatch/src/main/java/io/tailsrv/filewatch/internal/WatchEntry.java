package io.tailsrv.filewatch.internal;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.FileListener;
import io.tailsrv.api.Watch;

/**
 * One watch. Where it stands (waiting in a directory, following an open
 * file, or neither once failed) is kept in the fields below, which only the
 * engine touches, under its lock.
 */
final class WatchEntry implements Watch {

    private static final Logger LOG = LoggerFactory.getLogger(WatchEntry.class);

    private final WatchEngine engine;
    private final Path path;
    private final FileListener listener;
    /**
     * Held while the listener is called and while closing, so that calls
     * never overlap and none starts once close() has returned. Reentrant, so
     * that a listener may close its own watch.
     */
    private final ReentrantLock calls = new ReentrantLock();
    private boolean closed;

    /** The path made absolute, to walk up from when it does not exist. */
    final Path absolute;

    /** While waiting: the directory watched and the name awaited in it; -1 and null otherwise. */
    int directoryWd = -1;
    String awaitedName;

    /** Once opened: the file, its watch descriptor (-1 once the kernel dropped it) and last size. */
    OpenFile file;
    int fileWd = -1;
    long size;
    boolean movedReported;
    boolean deletedReported;
    /** Reported to in the read being delivered; on the watch's thread only. */
    boolean inRead;

    WatchEntry(WatchEngine engine, Path path, FileListener listener) {
        this.engine = engine;
        this.path = path;
        this.listener = listener;
        this.absolute = path.toAbsolutePath().normalize();
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public void close() {
        calls.lock();
        try {
            if (!closed) {
                closed = true;
                engine.release(this);
            }
        } finally {
            calls.unlock();
        }
    }

    /** Calls the listener, unless the watch is closed; what it throws is logged, not propagated. */
    void deliver(Consumer<FileListener> call) {
        calls.lock();
        try {
            if (!closed) {
                call.accept(listener);
            }
        } catch (RuntimeException | Error e) {
            LOG.warn("The listener watching {} failed", path, e);
        } finally {
            calls.unlock();
        }
    }

    /**
     * Holds back listener calls from other threads until {@link #releaseCalls()}:
     * watch() makes the first report holding them, so that the inotify thread
     * cannot report a change before it.
     */
    void holdCalls() {
        calls.lock();
    }

    void releaseCalls() {
        calls.unlock();
    }

    @Override
    public String toString() {
        return "Watch[" + path + "]";
    }
}
