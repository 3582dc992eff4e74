package io.tailsrv.server.internal;

import java.util.List;
import java.util.Map;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.InstanceCounters;
import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.InstanceStatus;

/** The status of a configuration that cannot run: FAILED, with the property at fault. */
final class InvalidInstance implements InstanceStatus {

    private final String name;
    private final String reason;
    private final String endpoint;
    private final String file;

    InvalidInstance(String name, String reason, Map<String, ?> properties) {
        this.name = name;
        this.reason = reason;
        Object bind = properties.get(InstanceConfig.BIND);
        Object port = properties.get(InstanceConfig.PORT);
        this.endpoint = (bind == null || bind.toString().isBlank() ? "*" : bind) + ":" + (port == null ? "?" : port);
        Object path = properties.get(InstanceConfig.FILE);
        this.file = path == null ? "?" : path.toString();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public State state() {
        return State.FAILED;
    }

    @Override
    public String reason() {
        return reason;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public long fileSize() {
        return -1;
    }

    @Override
    public long bytesSent() {
        return 0;
    }

    @Override
    public int clientCount() {
        return 0;
    }

    @Override
    public List<ClientStatus> clients() {
        return List.of();
    }

    @Override
    public InstanceCounters counters() {
        return new InstanceCounters(0, Map.of(), Map.of(), 0, 0, 0, 0, 0);
    }
}
