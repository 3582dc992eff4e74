package io.tailsrv.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.InstanceCounters;
import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.Relay;
import io.tailsrv.api.RelayStatus;
import io.tailsrv.server.internal.config.Settings;
import io.tailsrv.server.internal.handshake.Handshake;
import io.tailsrv.server.internal.handshake.PendingConnections;
import io.tailsrv.server.internal.streaming.FanOut;
import io.tailsrv.server.internal.streaming.ServedFile;

/**
 * What a running instance says about itself: its state and why, set by its
 * lifecycle and its file's events, and the live figures, read from its
 * clients when asked. Each change of state goes to {@code onChange}, which
 * publishes it off the calling thread.
 */
final class InstanceState implements InstanceStatus {

    private final String name;
    private final FanOut fanOut;
    private final PendingConnections pending;
    private final Consumer<InstanceState> onChange;
    private volatile Settings settings;
    private volatile State state = State.STOPPED;
    private volatile String reason;
    private volatile Relay relay;

    InstanceState(String name, Settings settings, FanOut fanOut, PendingConnections pending,
            Consumer<InstanceState> onChange) {
        this.name = name;
        this.settings = settings;
        this.fanOut = fanOut;
        this.pending = pending;
        this.onChange = onChange;
    }

    void set(State next, String why) {
        state = next;
        reason = why;
        onChange.accept(this);
    }

    void settings(Settings next) {
        settings = next;
    }

    void relay(Relay following) {
        relay = following;
    }

    /** The relay's state changed: watchers (the console, health checks) see it on the status service. */
    void relayChanged(RelayStatus status) {
        onChange.accept(this);
    }

    @Override
    public RelayStatus relay() {
        Relay current = relay;
        return current == null ? null : current.status();
    }

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
        ServedFile served = fanOut.file();
        return served == null ? -1 : served.size();
    }

    @Override
    public long bytesSent() {
        return fanOut.bytesSent();
    }

    @Override
    public int clientCount() {
        return fanOut.streaming() + pending.count();
    }

    @Override
    public InstanceCounters counters() {
        return fanOut.counters(pending.count());
    }

    /** The streaming clients, then those still in their handshake (offset -1). */
    @Override
    public List<ClientStatus> clients() {
        List<ClientStatus> all = new ArrayList<>(fanOut.clients());
        for (Handshake handshake : pending.snapshot()) {
            all.add(new ClientStatus(handshake.connection().peer(), -1, 0, 0, 0, handshake.connection().since(),
                    handshake.connection().identity(), "-"));
        }
        return all;
    }
}
