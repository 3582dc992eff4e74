package io.tailsrv.server.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.FileGone;
import io.tailsrv.api.FileListener;
import io.tailsrv.api.FileWatch;
import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.OffsetProtocol;
import io.tailsrv.api.Watch;
import io.tailsrv.api.ZeroCopySender;

/**
 * One served file/port pair: its listening socket, its file, its clients
 * (spread over the shared I/O threads), and its status.
 *
 * <p>Threads: {@link #start} and {@link #stop} run on the configuring thread;
 * the {@link FileListener} methods on the file watch's thread; {@link #admit}
 * on the listener's I/O thread. No lock is held while calling out.
 */
final class Instance implements FileListener, InstanceStatus {

    private static final Logger LOG = LoggerFactory.getLogger(Instance.class);

    final ZeroCopySender sender;
    final OffsetProtocol protocol;

    private final String name;
    private final FileWatch fileWatch;
    private final IoThreads io;
    private final Share[] shares;
    private final Consumer<InstanceStatus> onStateChange;
    private final AtomicInteger clientCount = new AtomicInteger();
    private volatile Settings settings;
    private volatile Feed feed;
    private volatile State state = State.STOPPED;
    private volatile String reason;
    private volatile boolean stopped;
    private Acceptor acceptor; // guarded by this
    private Watch watch; // guarded by this

    Instance(String name, Settings settings, FileWatch fileWatch, ZeroCopySender sender, OffsetProtocol protocol,
            IoThreads io, Consumer<InstanceStatus> onStateChange) {
        this.name = name;
        this.settings = settings;
        this.fileWatch = fileWatch;
        this.sender = sender;
        this.protocol = protocol;
        this.io = io;
        this.onStateChange = onStateChange;
        this.shares = new Share[io.size()];
        for (int i = 0; i < shares.length; i++) {
            shares[i] = new Share(this, io.loop(i));
        }
    }

    /** Listens, then watches the file. Never throws: problems show as state FAILED. */
    void start() {
        Settings s = settings;
        if (!s.enabled()) {
            setState(State.STOPPED, "disabled (enabled = false)");
            atInfo().log("[{}] not started: disabled (enabled = false)", name);
            return;
        }
        Acceptor listening;
        try {
            listening = Acceptor.open(this, s, io.nextForListener());
        } catch (IOException e) {
            fail(bindProblem(s, e));
            return;
        }
        synchronized (this) {
            acceptor = listening;
        }
        setState(State.WAITING, "waiting for " + s.file() + " to exist");
        watchFile();
        if (state == State.WAITING) {
            atInfo().log("[{}] listening on {}; waiting for {} to exist", name, s.endpoint(), s.file());
        }
    }

    /** Closes the listener, every client and the file. The port is free when this returns. */
    void stop(String why) {
        stopped = true;
        closeListener();
        for (Share share : shares) {
            share.loop.call(() -> {
                share.closeAll(why);
                return null;
            });
        }
        closeWatch();
        feed = null;
        if (state == State.SERVING || state == State.WAITING) { // else it was not running: nothing to say
            setState(State.STOPPED, why);
            atInfo().log("[{}] stopped: {}", name, why);
        }
    }

    /** Applies settings that need no restart (header timeout, client limit, allow list). */
    void update(Settings next) {
        settings = next;
        atInfo().log("[{}] updated: header.timeout {} s, max.clients {}, allow {}", name,
                next.headerTimeout().toMillis() / 1000.0, next.maxClients(), next.allow());
    }

    Settings settings() {
        return settings;
    }

    Feed feed() {
        return feed;
    }

    boolean isStopped() {
        return stopped;
    }

    // ---- log records about this instance: its name, port and file go with them as fields ----

    LoggingEventBuilder atInfo() {
        return at(Level.INFO);
    }

    LoggingEventBuilder atWarn() {
        return at(Level.WARN);
    }

    LoggingEventBuilder atError() {
        return at(Level.ERROR);
    }

    private LoggingEventBuilder at(Level level) {
        Settings s = settings;
        return LOG.atLevel(level)
                .addKeyValue(LogFields.INSTANCE, name)
                .addKeyValue(LogFields.PORT, s.port())
                .addKeyValue(LogFields.FILE, s.file());
    }

    // ---- connections (on the listener's I/O thread) ----

    /** A new connection: refused at once if the settings say so, else handed to an I/O thread. */
    void admit(SocketChannel socket) {
        Settings s = settings;
        InetSocketAddress peer;
        try {
            peer = (InetSocketAddress) socket.getRemoteAddress();
        } catch (IOException e) {
            Share.closeQuietly(socket);
            return;
        }
        if (!s.allow().permits(peer.getAddress())) {
            atWarn().addKeyValue(LogFields.PEER, Peers.format(peer))
                    .log("[{}] {} refused: not in allow list {}", name, Peers.format(peer), s.allow());
            Share.closeQuietly(socket);
            return;
        }
        if (s.maxClients() > 0 && clientCount.get() >= s.maxClients()) {
            atWarn().addKeyValue(LogFields.PEER, Peers.format(peer))
                    .log("[{}] {} refused: max.clients ({}) reached", name, Peers.format(peer), s.maxClients());
            Share.closeQuietly(socket);
            return;
        }
        try {
            socket.configureBlocking(false);
            socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            Share.closeQuietly(socket);
            return;
        }
        clientCount.incrementAndGet();
        IoLoop loop = io.nextForClient();
        Share share = shares[loop.index];
        if (loop.inLoop()) {
            share.accept(socket, peer);
        } else {
            loop.execute(() -> share.accept(socket, peer));
        }
    }

    void clientGone() {
        clientCount.decrementAndGet();
    }

    // ---- the file (on the file watch's thread) ----

    @Override
    public void opened(FileChannel channel, long size) {
        if (stopped) {
            return;
        }
        feed = new Feed(channel, size);
        setState(State.SERVING, null);
        atInfo().addKeyValue(LogFields.BYTES, size)
                .log("[{}] listening on {}; serving {} ({} bytes)", name, settings.endpoint(), settings.file(), size);
        signalAll();
    }

    @Override
    public void grew(long size) {
        Feed current = feed;
        if (current != null) {
            current.grew(size);
            signalAll();
        }
    }

    @Override
    public void truncated(long size) {
        Feed current = feed;
        if (current != null) {
            atWarn().addKeyValue(LogFields.BYTES, size)
                    .log("[{}] {} truncated to {} bytes; closing clients past that", name, settings.file(), size);
            current.truncated(size);
            signalAll();
        }
    }

    @Override
    public void gone(FileGone how) {
        if (stopped) {
            return;
        }
        Path file = settings.file();
        if (settings.linger()) {
            atInfo().log("[{}] {} was {}; lingering: still serving the open file", name, file, how.word());
            setState(State.SERVING, "file " + how.word() + ", lingering");
            return;
        }
        atInfo().log("[{}] {} was {}; closing its clients, waiting for it to exist again", name, file, how.word());
        feed = null;
        setState(State.WAITING, "file " + how.word() + "; waiting for it to exist again");
        signalAll();
        closeWatch();
        watchFile();
    }

    @Override
    public void failed(String why) {
        fail("file: " + why);
    }

    // ---- status ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public String reason() {
        return reason;
    }

    @Override
    public String endpoint() {
        return settings.endpoint();
    }

    @Override
    public String file() {
        return settings.file().toString();
    }

    @Override
    public long fileSize() {
        Feed current = feed;
        return current == null ? -1 : current.size();
    }

    @Override
    public long bytesSent() {
        long total = 0;
        for (Share share : shares) {
            total += share.loop.call(() -> share.bytesSent);
        }
        return total;
    }

    @Override
    public int clientCount() {
        return clientCount.get();
    }

    @Override
    public List<ClientStatus> clients() {
        List<ClientStatus> all = new ArrayList<>();
        for (Share share : shares) {
            all.addAll(share.loop.call(share::snapshot));
        }
        return all;
    }

    // ---- internals ----

    private void watchFile() {
        try {
            Watch started = fileWatch.watch(settings.file(), this);
            boolean keep;
            synchronized (this) {
                keep = !stopped;
                if (keep) {
                    watch = started;
                }
            }
            if (!keep) {
                started.close();
            }
        } catch (IOException e) {
            fail("file: cannot watch " + settings.file() + ": " + e.getMessage());
        }
    }

    private void closeWatch() {
        Watch old;
        synchronized (this) {
            old = watch;
            watch = null;
        }
        if (old != null) {
            old.close();
        }
    }

    private void closeListener() {
        Acceptor old;
        synchronized (this) {
            old = acceptor;
            acceptor = null;
        }
        if (old != null) {
            old.close();
        }
    }

    /** Stops serving, keeping the reason; the instance starts again when its configuration changes. */
    private void fail(String why) {
        atError().log("[{}] FAILED: {}", name, why);
        setState(State.FAILED, why);
        stopped = true;
        closeListener();
        for (Share share : shares) {
            share.loop.execute(() -> share.closeAll("the instance failed: " + why));
        }
        feed = null;
    }

    /**
     * Brings every share's clients up to date with the file. Called on the
     * file watch's thread, which wakes the loops of all shares but one and
     * serves that one itself if its loop is idle: the loops work in parallel,
     * and one of them need not be woken at all.
     */
    private void signalAll() {
        Share last = null;
        for (Share share : shares) {
            if (share.hasClients()) {
                if (last != null) {
                    last.loop.signal(last);
                }
                last = share;
            }
        }
        if (last != null) {
            last.loop.refreshOrSignal(last);
        }
    }

    private void setState(State next, String why) {
        state = next;
        reason = why;
        onStateChange.accept(this);
    }

    private static String bindProblem(Settings s, IOException e) {
        String what = e.getMessage() == null ? e.toString() : e.getMessage();
        if (s.bind() != null && !(e instanceof BindException && what.contains("in use"))) {
            return "bind: cannot listen on " + s.endpoint() + ": " + what;
        }
        return "port: cannot listen on " + s.endpoint() + ": " + what;
    }
}
