package io.tailsrv.server.internal;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.FileGone;
import io.tailsrv.api.FileListener;
import io.tailsrv.api.InstanceStatus.State;
import io.tailsrv.server.internal.config.InstanceContext;
import io.tailsrv.server.internal.config.LogFields;
import io.tailsrv.server.internal.config.Settings;
import io.tailsrv.server.internal.streaming.FanOut;

/**
 * An instance's file as one watch reports it: each event goes to the
 * clients ({@link FanOut}), to the instance's state, and to the log. Runs on
 * the file watch's thread, so it only hands over: the sending is the loops'
 * (or, for a small idle group, a bounded pass: see Dispatch), and the
 * state's publication happens on the status thread.
 *
 * <p>Each watch has a follower of its own. Once the file has gone and the
 * path is watched anew, the old watch stays open until no I/O thread can be
 * sending from its file (see {@link FanOut#gone}), and may still report
 * (the gone file growing, being deleted after a move): its follower is
 * retired by then, and ignores it.
 */
final class FileFollower implements FileListener {

    private static final Logger LOG = LoggerFactory.getLogger(FileFollower.class);

    private final Instance instance;
    private final FanOut fanOut;
    private final InstanceState state;
    /** Set once the file has gone: what this watch reports from then on is of no concern. */
    private volatile boolean retired;

    FileFollower(Instance instance, FanOut fanOut, InstanceState state) {
        this.instance = instance;
        this.fanOut = fanOut;
        this.state = state;
    }

    @Override
    public void opened(FileChannel channel, long size) {
        if (retired || instance.isStopped()) {
            return;
        }
        fanOut.opened(channel, size);
        state.set(State.SERVING, null);
        InstanceContext context = instance.context();
        context.log().info(LOG).addKeyValue(LogFields.BYTES, size)
                .log("[{}] listening on {}; serving {} ({} bytes)", context.name(), context.settings().endpoint(),
                        context.settings().file(), size);
    }

    @Override
    public void grew(long size) {
        if (!retired) {
            fanOut.grew(size);
        }
    }

    @Override
    public void truncated(long size) {
        if (!retired && fanOut.file() != null) {
            InstanceContext context = instance.context();
            context.log().warn(LOG).addKeyValue(LogFields.BYTES, size)
                    .log("[{}] {} truncated to {} bytes; closing clients past that", context.name(),
                            context.settings().file(), size);
            fanOut.truncated(size);
        }
    }

    @Override
    public void gone(FileGone how) {
        if (retired || instance.isStopped()) {
            return;
        }
        InstanceContext context = instance.context();
        Settings settings = context.settings();
        Path file = settings.file();
        if (settings.linger()) {
            context.log().info(LOG).log("[{}] {} was {}; lingering: still serving the open file", context.name(),
                    file, how.word());
            state.set(State.SERVING, "file " + how.word() + ", lingering");
            return;
        }
        context.log().info(LOG).log("[{}] {} was {}; closing its clients, waiting for it to exist again",
                context.name(), file, how.word());
        retired = true;
        state.set(State.WAITING, "file " + how.word() + "; waiting for it to exist again");
        instance.fileGone();
    }

    @Override
    public void failed(String why) {
        if (!retired) {
            instance.fail("file: " + why);
        }
    }

    @Override
    public void reportsDone() {
        fanOut.reportsDone();
    }
}
