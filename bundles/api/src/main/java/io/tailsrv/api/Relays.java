package io.tailsrv.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Relays: an instance with {@code upstream} follows another tailsrv and
 * appends what it receives to its own file, which it serves as usual. Every
 * tier of a tree of relays holds a byte-identical prefix of the origin's
 * file, so an offset is valid at every tier.
 */
@ProviderType
public interface Relays {

    /**
     * Starts following {@code config.upstreams()} into {@code config.file()}:
     * takes the file's exclusive lock, resumes after what it holds (checking
     * that the upstream still serves the same bytes), and keeps it growing,
     * moving to the next upstream (with backoff) when one fails.
     *
     * @param events told of every change of the relay's state, on the relay's thread; must be quick
     * @throws RelayConfigException naming the property at fault (the file locked by another writer,
     *         a TLS file unreadable, ...)
     */
    Relay follow(RelayConfig config, java.util.function.Consumer<RelayStatus> events) throws RelayConfigException;
}
