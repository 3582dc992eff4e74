package io.tailsrv.api;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Follows a file as it grows, shrinks, disappears and (re)appears, without
 * polling.
 *
 * <p>A watch starts by waiting for the path to exist (it may exist already).
 * When it does, the watch opens the file and reports
 * {@link FileListener#opened}; from then on it follows that one file, even
 * after it is deleted or moved (it reports {@link FileListener#gone} and goes
 * on reporting growth of the open file). To wait for the path to be created
 * anew, close the watch and start another.
 *
 * <p>Listeners are called from one thread shared by every watch; they must
 * return quickly and never block. Every report waits behind the one before,
 * for every watched file, so what a listener does there is bounded: tailsrv's
 * server sends an append to a few caught-up clients from this thread when
 * their I/O thread is idle (a thread hand-off saved per append), and hands
 * anything larger to its I/O threads. It relies on this thread being the
 * only one that reports growth, and on {@link FileListener#grew} coming in
 * the order of the writes.
 */
@ProviderType
public interface FileWatch {

    /**
     * Starts watching {@code path}. If the path exists, {@link FileListener#opened}
     * (or {@link FileListener#failed}) is called before this method returns.
     *
     * @throws IOException if the watch cannot be set up at all (for example
     *         the system's limit of watches is reached)
     */
    Watch watch(Path path, FileListener listener) throws IOException;
}
