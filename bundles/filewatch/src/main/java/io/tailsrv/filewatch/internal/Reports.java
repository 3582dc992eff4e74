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

    private record Call(WatchEntry entry, Consumer<FileListener> call) {
    }

    private final List<Call> calls = new ArrayList<>();

    void failed(WatchEntry entry, String reason) {
        add(entry, listener -> listener.failed(reason));
    }

    void opened(WatchEntry entry, FileChannel channel, FileStat stat) {
        long size = stat.size();
        entry.size = size;
        add(entry, listener -> listener.opened(channel, size));
        gone(entry, false, stat.nlink());
    }

    /** Reports what changed in an open file since it was last reported. */
    void changed(WatchEntry entry, FileStat stat, boolean moved) {
        long size = stat.size();
        if (size > entry.size) {
            add(entry, listener -> listener.grew(size));
        } else if (size < entry.size) {
            add(entry, listener -> listener.truncated(size));
        }
        entry.size = size;
        gone(entry, moved, stat.nlink());
    }

    /** Makes the calls, in order; a watch closed meanwhile skips its own. */
    void deliver() {
        calls.forEach(call -> call.entry().deliver(call.call()));
    }

    private void gone(WatchEntry entry, boolean moved, int links) {
        if (moved && !entry.movedReported) {
            entry.movedReported = true;
            add(entry, listener -> listener.gone(FileGone.MOVED));
        }
        // An open file's deletion shows only as its link count dropping to 0.
        if (links == 0 && !entry.deletedReported) {
            entry.deletedReported = true;
            add(entry, listener -> listener.gone(FileGone.DELETED));
        }
    }

    private void add(WatchEntry entry, Consumer<FileListener> call) {
        calls.add(new Call(entry, call));
    }
}
