package io.tailsrv.server.internal;

import java.io.IOException;
import java.net.BindException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.FileWatch;
import io.tailsrv.api.HttpProtocol;
import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.InstanceStatus.State;
import io.tailsrv.api.OffsetProtocol;
import io.tailsrv.api.PeerProbe;
import io.tailsrv.api.Relay;
import io.tailsrv.api.RelayConfig;
import io.tailsrv.api.RelayConfigException;
import io.tailsrv.api.RelayStatus;
import io.tailsrv.api.Relays;
import io.tailsrv.api.ServerTls;
import io.tailsrv.api.TlsConfigException;
import io.tailsrv.api.TlsContexts;
import io.tailsrv.api.Watch;
import io.tailsrv.api.ZeroCopySender;
import io.tailsrv.server.internal.admission.Admission;
import io.tailsrv.server.internal.admission.Listener;
import io.tailsrv.server.internal.config.InstanceContext;
import io.tailsrv.server.internal.config.InstanceLog;
import io.tailsrv.server.internal.config.Settings;
import io.tailsrv.server.internal.config.TlsMode;
import io.tailsrv.server.internal.handshake.PendingConnections;
import io.tailsrv.server.internal.loop.IoThreads;
import io.tailsrv.server.internal.streaming.FanOut;

/**
 * The lifecycle of one served file/port pair: start (listen, then watch the
 * file), live updates, stop, and failure. The parts it starts do the rest:
 * {@link Admission} and the connection stages serve clients, {@link FileFollower}
 * follows the file, {@link InstanceState} says how it stands.
 *
 * <p>Threads: {@link #start}, {@link #update} and {@link #stop} run on the
 * configuring thread; {@link #fail} and {@link #fileGone} also on the file
 * watch's. No lock is held while calling out.
 */
final class Instance {

    private static final Logger LOG = LoggerFactory.getLogger(Instance.class);

    /**
     * The services an instance works with, as the component got them.
     *
     * @param tls null when no TLS bundle is installed: an instance that asks for TLS fails then
     * @param http null when no HTTP bundle is installed: the port speaks the offset protocol only
     * @param relays null when no relay bundle is installed: an instance with an upstream fails then
     */
    record Services(FileWatch fileWatch, OffsetProtocol offsets, ZeroCopySender zeroCopy, PeerProbe peers,
            TlsContexts tls, HttpProtocol http, Relays relays, IoThreads io) {
    }

    private final Services services;
    private final FanOut fanOut;
    private final PendingConnections pending = new PendingConnections();
    private final InstanceState state;
    private final Admission admission;
    private volatile InstanceContext context;
    private volatile boolean stopped;
    private ServerTls tls; // guarded by this
    private Relay relay; // guarded by this
    private Listener listener; // guarded by this
    private Watch watch; // guarded by this

    Instance(String name, Settings settings, Services services, Consumer<InstanceState> onStateChange) {
        this.services = services;
        this.context = contextFor(name, settings, null);
        this.fanOut = new FanOut(services.io());
        this.state = new InstanceState(name, settings, fanOut, pending, onStateChange);
        this.admission = new Admission(context, pending, fanOut);
    }

    InstanceStatus status() {
        return state;
    }

    InstanceContext context() {
        return context;
    }

    boolean isStopped() {
        return stopped;
    }

    /** Listens, then watches the file. Never throws: problems show as state FAILED. */
    void start() {
        Settings s = context.settings();
        if (!s.enabled()) {
            state.set(State.STOPPED, "disabled (enabled = false)");
            context.log().info(LOG).log("[{}] not started: disabled (enabled = false)", context.name());
            return;
        }
        if (s.tls() != TlsMode.OFF && !openTls(s)) {
            return;
        }
        if (s.relay() && !startRelay(s)) {
            return;
        }
        Listener listening;
        try {
            listening = Listener.open(s, admission, fanOut.home());
        } catch (IOException e) {
            fail(bindProblem(s, e));
            return;
        }
        synchronized (this) {
            listener = listening;
        }
        state.set(State.WAITING, "waiting for " + s.file() + " to exist");
        watchFile();
        if (state.state() == State.WAITING) {
            context.log().info(LOG).log("[{}] listening on {}; waiting for {} to exist", context.name(), s.endpoint(),
                    s.file());
        }
    }

    /** Closes the listener, every connection and the file. The port is free when this returns. */
    void stop(String why) {
        stopped = true;
        closeListener();
        fanOut.closeAll(why);
        closeWatch();
        closeTls();
        closeRelay();
        State was = state.state();
        if (was == State.SERVING || was == State.WAITING) { // else it was not running: nothing to say
            state.set(State.STOPPED, why);
            context.log().info(LOG).log("[{}] stopped: {}", context.name(), why);
        }
    }

    /** Applies settings that need no restart (header timeout, limits, allow list) to new connections. */
    void update(Settings next) {
        context = contextFor(context.name(), next, context.tls());
        admission.update(context);
        state.settings(next);
        restartFailedRelay(next);
        context.log().info(LOG).log("[{}] updated: header.timeout {} s, max.clients {}, max.pending {}, allow {}",
                context.name(), next.headerTimeout().toMillis() / 1000.0, next.maxClients(), next.maxPending(),
                next.allow());
    }

    /**
     * The file went: its clients are closed, and its path is watched again
     * for the next one. The old watch, and with it the file, is closed once
     * every I/O thread has closed its clients of that file, so that none
     * can be sending from it: a descriptor closed under a sender could be
     * the new file's by the time it sends. On the file watch's thread.
     */
    void fileGone() {
        Watch old;
        synchronized (this) {
            old = watch;
            watch = null;
        }
        fanOut.gone(old == null ? () -> { } : old::close);
        watchFile();
    }

    /** Stops serving, keeping the reason; the instance starts again when its configuration changes. */
    void fail(String why) {
        context.log().error(LOG).log("[{}] FAILED: {}", context.name(), why);
        state.set(State.FAILED, why);
        stopped = true;
        closeListener();
        fanOut.closeAllSoon("the instance failed: " + why);
    }

    private InstanceContext contextFor(String name, Settings settings, ServerTls serverTls) {
        return new InstanceContext(settings, new InstanceLog(name, settings.port(), settings.file().toString()),
                services.offsets(), services.zeroCopy(), services.peers(), serverTls,
                settings.http() ? services.http() : null);
    }

    /** Reads the instance's certificates; false (and FAILED, naming the property) if they cannot serve. */
    private boolean openTls(Settings s) {
        if (services.tls() == null) {
            fail(InstanceConfig.TLS + ": " + s.tls().word() + ", but the TLS bundle (io.tailsrv.tls) is not installed");
            return false;
        }
        ServerTls opened;
        try {
            opened = services.tls().open(context.name(), s.tlsConfig());
        } catch (TlsConfigException e) {
            fail(e.getMessage());
            return false;
        }
        synchronized (this) {
            tls = opened;
        }
        context = contextFor(context.name(), s, opened);
        admission.update(context);
        return true;
    }

    /** Starts following the upstream into the file; false (and FAILED, naming the property) if it cannot. */
    private boolean startRelay(Settings s) {
        if (services.relays() == null) {
            fail(InstanceConfig.UPSTREAM + ": the relay bundle (io.tailsrv.relay) is not installed");
            return false;
        }
        Relay started;
        try {
            started = services.relays().follow(new RelayConfig(context.name(), s.upstreams(), s.file(),
                    s.upstreamTls(), s.upstreamFsync()), state::relayChanged);
        } catch (RelayConfigException e) {
            fail(e.getMessage());
            return false;
        }
        synchronized (this) {
            relay = started;
        }
        state.relay(started);
        return true;
    }

    /**
     * A relay stops for good when its upstream's stream diverges from the
     * file; the operator decides what to do (move the file away, say) and
     * starts it again ({@code tailsrv:start}, which re-applies the same
     * configuration: here).
     */
    private void restartFailedRelay(Settings next) {
        Relay current;
        synchronized (this) {
            current = relay;
        }
        if (current != null && current.status().state() == RelayStatus.State.FAILED && !stopped) {
            context.log().info(LOG).log("[{}] starting the relay again", context.name());
            closeRelay();
            startRelay(next);
        }
    }

    private void closeRelay() {
        Relay old;
        synchronized (this) {
            old = relay;
            relay = null;
        }
        if (old != null) {
            old.close();
        }
    }

    private void closeTls() {
        ServerTls old;
        synchronized (this) {
            old = tls;
            tls = null;
        }
        if (old != null) {
            old.close();
        }
    }

    private void watchFile() {
        try {
            Watch started = services.fileWatch().watch(context.settings().file(),
                    new FileFollower(this, fanOut, state));
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
            fail("file: cannot watch " + context.settings().file() + ": " + e.getMessage());
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
        Listener old;
        synchronized (this) {
            old = listener;
            listener = null;
        }
        if (old != null) {
            old.close();
        }
    }

    private static String bindProblem(Settings s, IOException e) {
        String what = e.getMessage() == null ? e.toString() : e.getMessage();
        if (s.bind() != null && !(e instanceof BindException && what.contains("in use"))) {
            return "bind: cannot listen on " + s.endpoint() + ": " + what;
        }
        return "port: cannot listen on " + s.endpoint() + ": " + what;
    }
}
