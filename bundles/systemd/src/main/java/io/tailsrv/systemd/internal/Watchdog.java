package io.tailsrv.systemd.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.IoHeartbeat;

/**
 * WATCHDOG=1 pings at half the interval systemd asks for ($WATCHDOG_USEC,
 * from {@code WatchdogSec=}). The ping is sent by the I/O threads, the last
 * of them to check in: the threads that serve every client are the ones that
 * would hang, and a timer thread pinging on its own would hide that.
 */
final class Watchdog implements Runnable {

    static final String USEC_VARIABLE = "WATCHDOG_USEC";
    static final String PID_VARIABLE = "WATCHDOG_PID";

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    private final NotifySocket socket;
    private final Supplier<IoHeartbeat> heartbeat;

    Watchdog(NotifySocket socket, Supplier<IoHeartbeat> heartbeat) {
        this.socket = socket;
        this.heartbeat = heartbeat;
    }

    /**
     * How often to ping: half of $WATCHDOG_USEC; empty when it is not set, not
     * a positive number, or meant for another process ($WATCHDOG_PID).
     */
    static Optional<Duration> interval(Map<String, String> environment, long pid) {
        String usec = environment.get(USEC_VARIABLE);
        String forPid = environment.get(PID_VARIABLE);
        if (usec == null || (forPid != null && !forPid.isBlank() && !forPid.strip().equals(Long.toString(pid)))) {
            return Optional.empty();
        }
        long micros;
        try {
            micros = Long.parseLong(usec.strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return micros > 1 ? Optional.of(Duration.ofNanos(micros * 1000 / 2)) : Optional.empty();
    }

    /**
     * One round: without the I/O threads (the server is not running), no ping.
     * If asking them fails, the pings end (the exception cancels this task) and
     * systemd restarts the service, as it would for a hung thread.
     */
    @Override
    public void run() {
        IoHeartbeat io = heartbeat.get();
        if (io == null) {
            return;
        }
        try {
            io.afterAllIoThreadsCheckIn(() -> socket.send("WATCHDOG=1"));
        } catch (RuntimeException e) {
            LOG.error("cannot reach the I/O threads: no more watchdog pings", e);
            throw e;
        }
    }
}
