package io.tailsrv.metrics.internal;

import java.util.List;
import java.util.Map;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.InstanceCounters;
import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.RelayStatus;

/** An instance as a test sets it up: what the server would report (a test may override what it reads). */
class Instance implements InstanceStatus {

    String name = "app";
    State state = State.SERVING;
    String reason;
    String file = "/var/log/app.log";
    long fileSize = 1000;
    List<ClientStatus> clients = List.of();
    InstanceCounters counters = new InstanceCounters(0, Map.of(), Map.of(), 0, 0, 0, 0, 0);
    RelayStatus relay;

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
        return "*:4321";
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public long fileSize() {
        return fileSize;
    }

    @Override
    public long bytesSent() {
        return counters.bytesSent();
    }

    @Override
    public List<ClientStatus> clients() {
        return clients;
    }

    @Override
    public int clientCount() {
        return clients.size();
    }

    @Override
    public InstanceCounters counters() {
        return counters;
    }

    @Override
    public RelayStatus relay() {
        return relay;
    }
}
