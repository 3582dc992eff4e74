package io.tailsrv.systemd.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.SynchronousConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.IoHeartbeat;

/**
 * Tells systemd how the service is doing, through the sd_notify protocol:
 * READY=1 once start-up is complete, RELOADING=1 then READY=1 around each
 * configuration change, STATUS= a one-line summary whenever it changes,
 * WATCHDOG=1 from the I/O threads, STOPPING=1 when the framework stops.
 * Without $NOTIFY_SOCKET (not started by systemd as {@code Type=notify}) it
 * does nothing at all, and starts no thread.
 */
@Component(immediate = true, service = SynchronousConfigurationListener.class)
public final class SystemdNotifier implements SynchronousConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);
    private static final Duration STATUS_PERIOD = Duration.ofSeconds(1);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<InstanceStatus> instances;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile IoHeartbeat heartbeat;

    private volatile NotifySocket socket;
    private volatile Readiness readiness;
    private ScheduledExecutorService timer;
    private String lastStatus;

    @Activate
    void activate(BundleContext context) throws InvalidSyntaxException {
        Map<String, String> environment = System.getenv();
        Optional<NotifySocket> notify = NotifySocket.fromEnvironment(environment);
        if (notify.isEmpty()) {
            return;
        }
        socket = notify.get();
        readiness = new Readiness(context, socket);
        readiness.open();
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tailsrv-notify");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::everySecond, 0, STATUS_PERIOD.toNanos(), TimeUnit.NANOSECONDS);
        Optional<Duration> watchdog = Watchdog.interval(environment, ProcessHandle.current().pid());
        watchdog.ifPresent(interval -> timer.scheduleAtFixedRate(
                new Watchdog(socket, () -> heartbeat), 0, interval.toNanos(), TimeUnit.NANOSECONDS));
        LOG.info("notifying systemd at {}{}", socket.name(),
                watchdog.map(interval -> "; watchdog ping every " + interval.toMillis() + " ms").orElse(""));
    }

    @Deactivate
    void deactivate(BundleContext context) {
        if (socket == null) {
            return;
        }
        // Only a stopping framework stops the service: this bundle alone may be stopped or refreshed.
        if (context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING) {
            socket.send("STOPPING=1");
        }
        timer.shutdownNow();
        readiness.close();
        socket.close();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        Readiness current = readiness;
        if (current != null) {
            current.configurationChanged(event);
        }
    }

    /** On the timer thread: STATUS= when the summary changed, and the end of a reload that waited too long. */
    private void everySecond() {
        try {
            String status = StatusLine.of(instances);
            if (!status.equals(lastStatus)) {
                lastStatus = status;
                socket.send("STATUS=" + status);
            }
            readiness.expireStaleChanges();
        } catch (RuntimeException e) {
            // An exception would cancel every later run of this task.
            LOG.warn("reporting the status to systemd failed", e);
        }
    }
}
