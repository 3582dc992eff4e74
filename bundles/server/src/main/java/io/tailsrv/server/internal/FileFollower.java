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
 * An instance's file as the file watch reports it: each event goes to the
 * clients ({@link FanOut}), to the instance's state, and to the log. Runs on
 * the file watch's thread, so it only hands over: the sending is the loops'
 * (or, for a small idle group, a bounded pass: see FanOut), and the state's
 * publication happens on the status thread.
 */
final class FileFollower implements FileListener {

    private static final Logger LOG = LoggerFactory.getLogger(FileFollower.class);

    private final Instance instance;
    private final FanOut fanOut;
    private final InstanceState state;

    FileFollower(Instance instance, FanOut fanOut, InstanceState state) {
        this.instance = instance;
        this.fanOut = fanOut;
        this.state = state;
    }

    @Override
    public void opened(FileChannel channel, long size) {
        if (instance.isStopped()) {
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
        fanOut.grew(size);
    }

    @Override
    public void truncated(long size) {
        if (fanOut.file() != null) {
            InstanceContext context = instance.context();
            context.log().warn(LOG).addKeyValue(LogFields.BYTES, size)
                    .log("[{}] {} truncated to {} bytes; closing clients past that", context.name(),
                            context.settings().file(), size);
            fanOut.truncated(size);
        }
    }

    @Override
    public void gone(FileGone how) {
        if (instance.isStopped()) {
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
        fanOut.gone();
        state.set(State.WAITING, "file " + how.word() + "; waiting for it to exist again");
        instance.watchAgain();
    }

    @Override
    public void failed(String why) {
        instance.fail("file: " + why);
    }

    @Override
    public void reportsDone() {
        fanOut.reportsDone();
    }
}
