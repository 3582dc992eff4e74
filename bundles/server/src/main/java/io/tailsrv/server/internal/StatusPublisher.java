package io.tailsrv.server.internal;

import java.util.Dictionary;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.InstanceStatus;

/**
 * The one thread, {@code tailsrv-status}, on which every instance's status
 * service is registered, changed and unregistered. Service listeners run
 * synchronously in the thread that changes a registration, and some of them
 * do I/O (the systemd bundle sends a datagram): kept on this thread, they
 * never hold up the file watch's thread, which sees most changes first, nor
 * an I/O thread. Changes run in the order they were made, each with the
 * properties of its moment.
 */
@Component(service = StatusPublisher.class)
public final class StatusPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);

    private ExecutorService thread;

    @Activate
    void start() {
        thread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "tailsrv-status");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void stop() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** One configuration's status service, changed only on the status thread. */
    Publication publication(BundleContext context) {
        return new Publication(context);
    }

    final class Publication {

        private final BundleContext context;
        // Touched on the status thread only.
        private ServiceRegistration<InstanceStatus> registration;
        private InstanceStatus shown;

        private Publication(BundleContext context) {
            this.context = context;
        }

        /** Shows {@code status} with {@code properties}, replacing what was shown; null shows nothing. */
        void show(InstanceStatus status, Dictionary<String, Object> properties) {
            run(() -> {
                unregister();
                shown = status;
                if (status != null) {
                    registration = context.registerService(InstanceStatus.class, status, properties);
                }
            });
        }

        /**
         * Withdraws what was shown; {@code status} is shown from its first
         * {@link #update} on, so that a watcher sees every state it goes
         * through, but none from before it starts.
         */
        void expect(InstanceStatus status) {
            run(() -> {
                unregister();
                shown = status;
            });
        }

        /** New properties for {@code status}, if it is the one shown (or expected: then it is registered now). */
        void update(InstanceStatus status, Dictionary<String, Object> properties) {
            run(() -> {
                if (shown != status) {
                    return;
                }
                if (registration == null) {
                    registration = context.registerService(InstanceStatus.class, status, properties);
                } else {
                    registration.setProperties(properties);
                }
            });
        }

        private void unregister() {
            if (registration != null) {
                registration.unregister();
                registration = null;
            }
        }

        private void run(Runnable change) {
            thread.execute(() -> {
                try {
                    change.run();
                } catch (IllegalStateException e) {
                    // the bundle stopped meanwhile: the framework withdrew its services itself
                } catch (RuntimeException e) {
                    LOG.error("publishing an instance's status failed", e);
                }
            });
        }
    }
}
