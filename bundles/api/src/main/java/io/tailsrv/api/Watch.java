package io.tailsrv.api;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/** One path being watched; closing it stops the reports and closes the file. */
@ProviderType
public interface Watch extends AutoCloseable {

    /** The path as it was given to {@link FileWatch#watch}. */
    Path path();

    /** Stops the watch; no listener call starts after this returns. Idempotent. */
    @Override
    void close();
}
