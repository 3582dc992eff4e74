package io.tailsrv.tls.internal;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

import io.tailsrv.api.FileGone;
import io.tailsrv.api.FileListener;
import io.tailsrv.api.FileWatch;
import io.tailsrv.api.TlsConfigException;
import io.tailsrv.api.Watch;

/**
 * Follows one instance's TLS files through the {@link FileWatch}, and has
 * them reloaded once they have been quiet for {@link #QUIET} after a
 * change: a renewal writes the certificate and the key one after the
 * other, and a reload between the two would find a key that does not match.
 *
 * <p>A change is anything the watch reports after it was set up: growth,
 * truncation, the file gone (deleted, or replaced by a rename onto its
 * path), the path appearing or failing. The file watch's thread only hands
 * the news to the reload thread, where every change restarts the quiet
 * period. The reload watches every file anew before it reads them (a file
 * that went is then followed at its path again, as {@link FileWatch} asks),
 * so a change after the read is always seen.
 */
final class Renewal implements AutoCloseable {

    static final Duration QUIET = Duration.ofMillis(300);

    private final FileWatch fileWatch;
    private final ScheduledExecutorService thread;
    /** Each file, with the property that names it. */
    private final Map<Path, String> files;
    private final Runnable reload;

    /** Guarded by this. */
    private final List<Watch> watches = new ArrayList<>();
    private volatile boolean closed;
    /**
     * The thread inside {@link FileWatch#watch}, which reports the file as
     * it finds it (opened, or failed) before returning: that is no change.
     */
    private volatile Thread watching;
    /** The reload waiting for the files to be quiet; on the reload thread only. */
    private ScheduledFuture<?> due;

    /** @param reload run on {@code thread} once the files have been quiet after a change */
    Renewal(FileWatch fileWatch, ScheduledExecutorService thread, Map<Path, String> files, Runnable reload) {
        this.fileWatch = fileWatch;
        this.thread = thread;
        this.files = Map.copyOf(files);
        this.reload = reload;
    }

    /** Watches every file anew; call it before reading them. */
    synchronized void watch() throws TlsConfigException {
        if (closed) {
            return;
        }
        stopWatching();
        watching = Thread.currentThread();
        try {
            for (Map.Entry<Path, String> file : files.entrySet()) {
                try {
                    watches.add(fileWatch.watch(file.getKey(), new Listener()));
                } catch (IOException e) {
                    throw new TlsConfigException(file.getValue(), "cannot follow " + file.getKey() + " for renewal: "
                            + e.getMessage(), e);
                }
            }
        } finally {
            watching = null;
        }
    }

    /** Stops following the files; no reload starts after this returns. */
    @Override
    public synchronized void close() {
        closed = true;
        stopWatching();
    }

    private void stopWatching() {
        watches.forEach(Watch::close);
        watches.clear();
    }

    /** On the file watch's thread, which must not wait: the reload thread takes it from here. */
    private void changed() {
        thread.execute(this::restartQuietPeriod);
    }

    private void restartQuietPeriod() {
        if (due != null) {
            due.cancel(false);
        }
        due = thread.schedule(this::reloadIfOpen, QUIET.toMillis(), MILLISECONDS);
    }

    private void reloadIfOpen() {
        if (!closed) {
            reload.run();
        }
    }

    private final class Listener implements FileListener {

        @Override
        public void opened(FileChannel file, long size) {
            if (Thread.currentThread() != watching) {
                changed(); // the path did not exist when the watch began
            }
        }

        @Override
        public void grew(long size) {
            changed();
        }

        @Override
        public void truncated(long size) {
            changed();
        }

        @Override
        public void gone(FileGone how) {
            changed();
        }

        @Override
        public void failed(String reason) {
            if (Thread.currentThread() != watching) {
                changed();
            }
        }
    }
}
