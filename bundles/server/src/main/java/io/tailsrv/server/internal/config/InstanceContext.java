package io.tailsrv.server.internal.config;

import java.time.Duration;

import io.tailsrv.api.HttpProtocol;
import io.tailsrv.api.OffsetProtocol;
import io.tailsrv.api.PeerProbe;
import io.tailsrv.api.ServerTls;
import io.tailsrv.api.ZeroCopySender;

/**
 * What a connection of one instance needs to know, in one immutable piece:
 * the instance's settings, the services that speak its protocols and move
 * its bytes, and its log. An instance makes a new one when its
 * configuration changes; a connection keeps the one it was admitted with.
 *
 * @param settings the configuration (limits, allow list, timeouts)
 * @param log records about the instance, with its fields
 * @param offsets the offset protocol: parses headers, resolves offsets
 * @param zeroCopy moves file bytes to plain sockets
 * @param peers tells a client that has gone from one that half-closed
 * @param tls the instance's TLS (engines, client identities); null when {@code tls} is off
 * @param http HTTP on the port; null when {@code http} is false or no HTTP bundle is installed
 */
public record InstanceContext(Settings settings, InstanceLog log, OffsetProtocol offsets, ZeroCopySender zeroCopy,
        PeerProbe peers, ServerTls tls, HttpProtocol http) {

    public String name() {
        return log.name();
    }

    public Duration headerTimeout() {
        return settings.headerTimeout();
    }
}
