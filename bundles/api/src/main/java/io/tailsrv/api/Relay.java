package io.tailsrv.api;

import org.osgi.annotation.versioning.ProviderType;

/** One relay, from {@link Relays#follow}. Thread-safe. */
@ProviderType
public interface Relay extends AutoCloseable {

    /** Where it stands now. */
    RelayStatus status();

    /** Stops following and lets go of the file's lock; the file stays as it is. Idempotent. */
    @Override
    void close();
}
