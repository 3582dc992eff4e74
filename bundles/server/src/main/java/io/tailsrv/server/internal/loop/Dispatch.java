package io.tailsrv.server.internal.loop;

import java.util.ArrayList;
import java.util.List;

/**
 * Work the file watch's thread finds for the I/O loops, handed over once per
 * read of the kernel's queue rather than once per file: on a host where many
 * files grow at once, one read reports many of them, and each loop that has
 * clients of any of them is woken once, to serve them all in one turn.
 *
 * <p>One loop need not be woken at all: the last with work is served by the
 * file watch's thread itself, if it is idle and its work is small (at most
 * {@value #INLINE_CLIENTS} clients in all), which saves a thread hand-off
 * per append on a quiet server. Larger work is always its loop's, so that
 * the file watch's thread spends a few sends at most before its next read.
 *
 * <p>Used by one thread: the file watch's.
 */
public final class Dispatch {

    /** The most clients the file watch's thread serves itself, per read. */
    public static final int INLINE_CLIENTS = 8;

    private final IoLoop[] loops;
    private final List<List<LoopTask>> pending = new ArrayList<>();
    private final int[] clients;

    Dispatch(IoLoop[] loops) {
        this.loops = loops;
        this.clients = new int[loops.length];
        for (int i = 0; i < loops.length; i++) {
            pending.add(new ArrayList<>());
        }
    }

    /** {@code task} must run on {@code loop}, for that many clients; handed over at {@link #flush}. */
    public void add(IoLoop loop, LoopTask task, int clientCount) {
        pending.get(loop.index()).add(task);
        clients[loop.index()] += clientCount;
    }

    /** Hands over what was added: the loops with work are woken, but perhaps the last. */
    public void flush() {
        int last = -1;
        for (int i = 0; i < loops.length; i++) {
            if (!pending.get(i).isEmpty()) {
                last = i;
            }
        }
        for (int i = 0; i < loops.length; i++) {
            List<LoopTask> tasks = pending.get(i);
            if (tasks.isEmpty()) {
                continue;
            }
            if (i != last || clients[i] > INLINE_CLIENTS || !loops[i].runNowIfIdle(tasks)) {
                for (int t = 0; t < tasks.size(); t++) {
                    loops[i].signal(tasks.get(t));
                }
            }
            tasks.clear();
            clients[i] = 0;
        }
    }
}
