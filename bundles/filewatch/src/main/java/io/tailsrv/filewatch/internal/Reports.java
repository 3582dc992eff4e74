package io.tailsrv.filewatch.internal;

import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.tailsrv.api.FileGone;
import io.tailsrv.api.FileListener;

/**
 * Listener calls worked out under the engine's lock and made once it is
 * released, so that a listener may call back into the FileWatch, and so that
 * a close() from another thread waits for nothing but its own watch's call.
 * Records what was reported in each watch (last size, gone) as it goes.
 */
final class Reports {

    private enum Kind { OPENED, GREW, TRUNCATED, GONE, FAILED }

    /** One listener call; a plain class rather than a lambda, as it is made for every append. */
    private static final class Call implements Consumer<FileListener> {
        final WatchEntry entry;
        final Kind kind;
        final long size;
        final FileChannel channel;
        final FileGone how;
        final String reason;

        Call(WatchEntry entry, Kind kind, long size, FileChannel channel, FileGone how, String reason) {
            this.entry = entry;
            this.kind = kind;
            this.size = size;
            this.channel = channel;
            this.how = how;
            this.reason = reason;
        }

        @Override
        public void accept(FileListener listener) {
            switch (kind) {
                case OPENED -> listener.opened(channel, size);
                case GREW -> listener.grew(size);
                case TRUNCATED -> listener.truncated(size);
                case GONE -> listener.gone(how);
                case FAILED -> listener.failed(reason);
            }
        }
    }

    /** Says a read's reports are done ({@link FileListener#reportsDone}); made once per listener per read. */
    private static final Consumer<FileListener> DONE = FileListener::reportsDone;

    private final List<Call> calls = new ArrayList<>();
    /** The watches reported to in this delivery, each once; reused. */
    private final List<WatchEntry> reported = new ArrayList<>();

    void failed(WatchEntry entry, String reason) {
        calls.add(new Call(entry, Kind.FAILED, 0, null, null, reason));
    }

    void opened(WatchEntry entry, FileChannel channel, FileStat stat) {
        long size = stat.size();
        entry.size = size;
        calls.add(new Call(entry, Kind.OPENED, size, channel, null, null));
        gone(entry, false, stat.nlink());
    }

    /** Reports what changed in an open file since it was last reported. */
    void changed(WatchEntry entry, FileStat stat, boolean moved) {
        long size = stat.size();
        if (size > entry.size) {
            calls.add(new Call(entry, Kind.GREW, size, null, null, null));
        } else if (size < entry.size) {
            calls.add(new Call(entry, Kind.TRUNCATED, size, null, null, null));
        }
        entry.size = size;
        gone(entry, moved, stat.nlink());
    }

    /** Makes the calls, in order, and forgets them; a watch closed meanwhile skips its own. */
    void deliver() {
        try {
            for (int i = 0; i < calls.size(); i++) {
                Call call = calls.get(i);
                call.entry.deliver(call);
            }
        } finally {
            calls.clear();
        }
    }

    /**
     * Makes the calls of one read of the kernel's queue, then tells each
     * listener that had one that they are done. On the watch's thread only.
     */
    void deliverRead() {
        for (int i = 0; i < calls.size(); i++) {
            WatchEntry entry = calls.get(i).entry;
            if (!entry.inRead) {
                entry.inRead = true;
                reported.add(entry);
            }
        }
        try {
            deliver();
        } finally {
            for (int i = 0; i < reported.size(); i++) {
                WatchEntry entry = reported.get(i);
                entry.inRead = false;
                entry.deliver(DONE);
            }
            reported.clear();
        }
    }

    private void gone(WatchEntry entry, boolean moved, int links) {
        if (moved && !entry.movedReported) {
            entry.movedReported = true;
            calls.add(new Call(entry, Kind.GONE, 0, null, FileGone.MOVED, null));
        }
        // An open file's deletion shows only as its link count dropping to 0.
        if (links == 0 && !entry.deletedReported) {
            entry.deletedReported = true;
            calls.add(new Call(entry, Kind.GONE, 0, null, FileGone.DELETED, null));
        }
    }
}
