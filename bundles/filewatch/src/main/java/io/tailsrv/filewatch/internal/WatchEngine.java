package io.tailsrv.filewatch.internal;

import static io.tailsrv.filewatch.internal.LibC.IN_ATTRIB;
import static io.tailsrv.filewatch.internal.LibC.IN_CREATE;
import static io.tailsrv.filewatch.internal.LibC.IN_DELETE_SELF;
import static io.tailsrv.filewatch.internal.LibC.IN_IGNORED;
import static io.tailsrv.filewatch.internal.LibC.IN_MODIFY;
import static io.tailsrv.filewatch.internal.LibC.IN_MOVED_TO;
import static io.tailsrv.filewatch.internal.LibC.IN_MOVE_SELF;
import static io.tailsrv.filewatch.internal.LibC.IN_ONLYDIR;
import static io.tailsrv.filewatch.internal.LibC.IN_Q_OVERFLOW;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.FileListener;
import io.tailsrv.api.Watch;

/**
 * Every watch of one FileWatch: one inotify descriptor, one thread reading
 * it, and the table of which watch waits for what.
 *
 * <p>All state is guarded by {@link #lock}. Listeners are never called with
 * it held: what to report is worked out under the lock, as {@link Reports},
 * and reported after.
 */
final class WatchEngine {

    private static final Logger LOG = LoggerFactory.getLogger(WatchEngine.class);

    /** A directory is watched for the awaited name to appear in it, or for itself to go away. */
    private static final int DIRECTORY_EVENTS = IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
    /**
     * An open file is watched for writes and truncation (IN_MODIFY), being
     * moved, and being deleted. Deletion shows as IN_ATTRIB, for the link
     * count changed, to 0: IN_DELETE_SELF never fires while the file is open.
     */
    private static final int FILE_EVENTS = IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF;

    private final ReentrantLock lock = new ReentrantLock();
    private final Inotify inotify;
    private final WatchTable table = new WatchTable();
    private final Set<WatchEntry> entries = new HashSet<>();
    private final Thread thread;
    private final Batch batch = new Batch();
    private final Reports reports = new Reports();
    /** statx(2)'s result, for every stat made under the lock. */
    private final java.nio.ByteBuffer statx = FileStat.buffer();
    private boolean stopped;

    WatchEngine() throws IOException {
        inotify = new Inotify();
        thread = new Thread(this::run, "tailsrv-inotify");
        thread.setDaemon(true);
        thread.start();
    }

    Watch watch(Path path, FileListener listener) throws IOException {
        WatchEntry entry = new WatchEntry(this, path, listener);
        Reports first = new Reports();
        entry.holdCalls();
        try {
            lock.lock();
            try {
                if (stopped) {
                    throw new IOException("The file watch is stopped");
                }
                try {
                    evaluate(entry, first);
                } catch (IOException e) {
                    detach(entry);
                    throw e;
                }
                entries.add(entry);
            } finally {
                lock.unlock();
            }
            first.deliver();
        } finally {
            entry.releaseCalls();
        }
        return entry;
    }

    /** Stops watching for {@code entry} and closes its file; called by its close(). */
    void release(WatchEntry entry) {
        lock.lock();
        try {
            detach(entry);
            entries.remove(entry);
        } finally {
            lock.unlock();
        }
    }

    /** Closes every watch, then stops the thread and waits for it, unless a listener calls this on it. */
    void stop() {
        List<WatchEntry> open;
        lock.lock();
        try {
            stopped = true;
            open = new ArrayList<>(entries);
        } finally {
            lock.unlock();
        }
        open.forEach(WatchEntry::close);
        lock.lock();
        try {
            inotify.wake();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (inotify.await()) {
                handleEvents();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Reading inotify events failed: file changes are no longer reported", e);
        } finally {
            // The thread closes the descriptors: nothing may close them while it polls them.
            lock.lock();
            try {
                stopped = true;
                inotify.close();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Reads what is queued and reports it. Runs for every append to every
     * watched file, so it reuses its batch and report list rather than
     * allocating them, and uses no lambdas: the first append after the start
     * need not wait for their classes to be spun.
     */
    private void handleEvents() throws IOException {
        lock.lock();
        try {
            inotify.drain(batch);
            for (WatchEntry entry : batch.recheck) {
                recheck(entry, reports);
            }
            for (Map.Entry<WatchEntry, Boolean> change : batch.changed.entrySet()) {
                reportChanges(change.getKey(), change.getValue(), reports);
            }
            batch.clear();
        } finally {
            lock.unlock();
        }
        reports.deliverRead(); // on this thread only: nothing else touches reports between the lock and here
    }

    private void collect(Batch batch, int wd, int mask, String name) {
        if ((mask & IN_Q_OVERFLOW) != 0) {
            // Events were lost: look at every watch again.
            batch.recheck.addAll(table.allAwaiting());
            for (WatchEntry entry : table.allFollowing()) {
                batch.changed(entry, false);
            }
        } else if ((mask & IN_IGNORED) != 0) {
            forget(batch, wd);
        } else {
            if ((mask & (IN_CREATE | IN_MOVED_TO)) != 0) {
                batch.recheck.addAll(table.awaiting(wd, name));
            }
            if ((mask & (IN_DELETE_SELF | IN_MOVE_SELF)) != 0) {
                // A directory waited in went away: walk up again from the path.
                batch.recheck.addAll(table.awaitingIn(wd));
            }
            boolean moved = (mask & IN_MOVE_SELF) != 0;
            for (WatchEntry entry : table.following(wd)) {
                batch.changed(entry, moved);
            }
        }
    }

    /** The kernel dropped {@code wd}: its directory was deleted, or its file system unmounted. */
    private void forget(Batch batch, int wd) {
        for (WatchEntry entry : table.forget(wd)) {
            if (entry.directoryWd == wd) {
                entry.directoryWd = -1;
                entry.awaitedName = null;
                batch.recheck.add(entry);
            } else {
                entry.fileWd = -1;
                LOG.warn("The kernel stopped watching {} (unmounted?): its changes are no longer reported", entry.absolute);
                batch.changed(entry, false);
            }
        }
    }

    private void recheck(WatchEntry entry, Reports reports) {
        unregister(entry);
        try {
            evaluate(entry, reports);
        } catch (IOException e) {
            detach(entry);
            LOG.warn("Cannot watch {}: {}", entry.absolute, e.getMessage());
            reports.failed(entry, e.getMessage());
        }
    }

    /**
     * Opens the entry's path if it exists; otherwise waits in its nearest
     * existing ancestor for the next component of the path to appear.
     */
    private void evaluate(WatchEntry entry, Reports reports) throws IOException {
        // Loops only when the awaited name appeared just before its directory was watched.
        while (!open(entry, reports)) {
            try {
                if (awaitNext(entry)) {
                    return;
                }
            } catch (ErrnoException e) {
                reports.failed(entry, entry.absolute + " does not exist, and " + e.getMessage());
                return;
            }
        }
    }

    /** Opens the entry's path and reports it; false if the path does not exist. */
    private boolean open(WatchEntry entry, Reports reports) throws IOException {
        try {
            entry.file = OpenFile.open(entry.absolute);
        } catch (ErrnoException e) {
            if (e.errno() == LibC.ENOENT) {
                return false;
            }
            reports.failed(entry, e.getMessage());
            return true;
        }
        FileStat stat = entry.file.stat(statx);
        if (!stat.isRegularFile()) {
            detach(entry);
            reports.failed(entry, entry.absolute + " is " + stat.kind());
            return true;
        }
        FileChannel channel = entry.file.channel();
        entry.fileWd = inotify.addWatch(entry.file.procPath(), FILE_EVENTS, entry.absolute.toString());
        table.follow(entry.fileWd, entry);
        // Stat again now that changes are watched, so that none falls in between.
        reports.opened(entry, channel, entry.file.stat(statx));
        return true;
    }

    /**
     * Watches the nearest existing ancestor of the entry's path for the next
     * component of the path. Returns false, watching nothing, if that
     * component exists by now.
     */
    private boolean awaitNext(WatchEntry entry) throws IOException {
        Path child = entry.absolute;
        Path directory = child.getParent();
        int wd;
        while ((wd = watchDirectory(directory)) < 0) {
            child = directory;
            directory = directory.getParent();
        }
        String name = child.getFileName().toString();
        entry.directoryWd = wd;
        entry.awaitedName = name;
        table.await(wd, name, entry);
        // The kernel reports only what happens once the watch is in place: look once more.
        if (Files.exists(child)) {
            unregister(entry);
            return false;
        }
        return true;
    }

    /** The directory's watch descriptor, or -1 if it does not exist. */
    private int watchDirectory(Path directory) throws IOException {
        try {
            return inotify.addWatch(directory.toString(), DIRECTORY_EVENTS, directory.toString());
        } catch (ErrnoException e) {
            if (e.errno() == LibC.ENOENT) {
                return -1;
            }
            throw e;
        }
    }

    private void reportChanges(WatchEntry entry, boolean moved, Reports reports) {
        try {
            reports.changed(entry, entry.file.stat(statx), moved);
        } catch (ErrnoException e) {
            LOG.warn("Cannot stat the watched file {}", e.getMessage());
        }
    }

    /** Stops watching the inodes the entry watches; the kernel watch goes with its last user. */
    private void unregister(WatchEntry entry) {
        if (entry.directoryWd >= 0) {
            if (table.stopAwaiting(entry.directoryWd, entry.awaitedName, entry)) {
                inotify.removeWatch(entry.directoryWd);
            }
            entry.directoryWd = -1;
            entry.awaitedName = null;
        }
        if (entry.fileWd >= 0) {
            if (table.stopFollowing(entry.fileWd, entry)) {
                inotify.removeWatch(entry.fileWd);
            }
            entry.fileWd = -1;
        }
    }

    private void detach(WatchEntry entry) {
        unregister(entry);
        if (entry.file != null) {
            entry.file.close();
            entry.file = null;
        }
    }

    /** What one read of the inotify queue concerns; reused, by the inotify thread only. */
    private final class Batch implements Inotify.Sink {
        /** Watches that wait, to look at again. */
        final Set<WatchEntry> recheck = new LinkedHashSet<>();
        /** Followed files that changed, each with whether it was moved. */
        final Map<WatchEntry, Boolean> changed = new LinkedHashMap<>();

        @Override
        public void event(int wd, int mask, String name) {
            collect(this, wd, mask, name);
        }

        void changed(WatchEntry entry, boolean moved) {
            if (moved || !changed.containsKey(entry)) {
                changed.put(entry, moved);
            }
        }

        void clear() {
            recheck.clear();
            changed.clear();
        }
    }
}
