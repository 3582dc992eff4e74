package io.tailsrv.metrics.internal;

import java.util.Map;

/**
 * The attributes of one tailsrv instance as JMX shows it,
 * {@code io.tailsrv:type=Instance,name=NAME} ({@link InstanceMBean} adds the
 * operation {@code clients()}). Every attribute is read from the instance
 * when asked. The relay attributes are null unless the instance follows an
 * upstream.
 */
public interface InstanceMXBean {

    /** SERVING, WAITING, STOPPED or FAILED. */
    String getState();

    /** Why the instance is WAITING or FAILED; null otherwise. */
    String getReason();

    /** The TCP port; null when the configuration has no valid one. */
    Integer getPort();

    String getFile();

    /** The file's size as last seen; -1 while no file is open. */
    long getFileSize();

    /** Clients past their handshake (streaming, or waiting for the file to reach their offset). */
    int getClients();

    /** Connections still in their handshake. */
    int getPending();

    long getBytesSent();

    long getAccepted();

    /** Connections refused, by reason: every reason the server names, 0 until it happens. */
    Map<String, Long> getRefused();

    /** Clients closed, by reason: every reason the server names, 0 until it happens. */
    Map<String, Long> getClosed();

    /** How many bytes the furthest-behind client lags behind the end of the file. */
    long getSlowestLagBytes();

    /** How many seconds the furthest-behind client lags: since its position was last the end of the file. */
    double getSlowestLagSeconds();

    /** The upstream a relay follows, or tries, as {@code host:port}. */
    String getUpstream();

    /** CONNECTING, FOLLOWING, BACKING_OFF or FAILED. */
    String getRelayState();

    /** Bytes the relay is behind its upstream's file; -1 if unknown. */
    Long getUpstreamLag();

    Long getReconnects();

    Long getContinuityFailures();
}
