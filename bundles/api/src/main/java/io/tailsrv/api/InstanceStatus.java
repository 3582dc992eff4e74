package io.tailsrv.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The state of one served file/port pair (one configuration). Every instance
 * registers itself as this service, with the service properties below kept
 * up to date, so that a launcher, a console or a notifier can follow it
 * without polling.
 */
@ProviderType
public interface InstanceStatus {

    /**
     * The service's name, for code that follows it from outside the
     * framework by name (a launcher), without loading this interface.
     */
    String SERVICE_NAME = "io.tailsrv.api.InstanceStatus";

    /** Service property: the instance's name (String). */
    String NAME = "tailsrv.name";
    /** Service property: the {@link State}'s name (String). */
    String STATE = "tailsrv.state";
    /** Service property: why the instance is FAILED or WAITING (String, may be absent). */
    String REASON = "tailsrv.reason";
    /** Service property: the TCP port (Integer), absent when the configuration has no valid one. */
    String PORT = "tailsrv.port";
    /** Service property: the configuration's PID (String). */
    String CONFIG_PID = "tailsrv.config.pid";
    /**
     * Service property: how many times the instance has applied its
     * configuration (Long, from 1). It changes once an edit has taken effect,
     * restart or not, so that a watcher can tell when a reconfiguration is done.
     */
    String CONFIG_CHANGE = "tailsrv.config.change";
    /** Service property: for a relay, its {@link RelayStatus.State}'s name (String); absent otherwise. */
    String RELAY_STATE = "tailsrv.relay.state";
    /** Service property: the instance's {@code lag.warn.seconds} (Double), for its health check. */
    String LAG_WARN_SECONDS = "tailsrv.lag.warn.seconds";

    /** Where an instance stands. */
    enum State {
        /** Listening, with the file open. */
        SERVING,
        /** Listening, waiting for the file to exist. */
        WAITING,
        /** Not listening: disabled in its configuration. */
        STOPPED,
        /** Not listening: its configuration or its file is unusable. */
        FAILED
    }

    String name();

    State state();

    /** Why the instance is in its state, or {@code null} when there is nothing to say. */
    String reason();

    /** The address and port it listens on (or would), as {@code host:port}. */
    String endpoint();

    /** The file it serves, as configured. */
    String file();

    /** The file's size as last seen, or -1 when no file is open. */
    long fileSize();

    /** Bytes sent to all clients since the instance started. */
    long bytesSent();

    /** The connected clients, header received or not. */
    List<ClientStatus> clients();

    /** How many clients are connected, header received or not; cheap enough to read often. */
    int clientCount();

    /**
     * The instance's counters and its slowest client's lag, read from every
     * I/O thread and summed: for monitoring, a few times a minute rather
     * than per event.
     */
    InstanceCounters counters();

    /** The relay's state, for an instance that follows an upstream; null otherwise. */
    default RelayStatus relay() {
        return null;
    }
}
