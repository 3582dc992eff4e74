package io.tailsrv.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Proof of life from the I/O threads that serve every client. A watchdog asks
 * them all to check in and hears back only if each of them is still turning
 * its event loop: one stuck thread, and the answer never comes.
 */
@ProviderType
public interface IoHeartbeat {

    /**
     * Asks every I/O thread to check in at the next turn of its loop; the last
     * one to do so runs {@code allCheckedIn}, on its own thread, so it must be
     * quick and must not block. If any I/O thread is stuck, it never runs.
     */
    void afterAllIoThreadsCheckIn(Runnable allCheckedIn);
}
