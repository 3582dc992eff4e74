package io.tailsrv.server.internal.loop;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.IoHeartbeat;

/**
 * The fixed set of I/O threads every instance shares. Their number is set
 * once (framework property {@value #THREADS_PROPERTY}, default: one per
 * processor, at most {@value #MAX_DEFAULT}) and never grows with clients or
 * instances. As an {@link IoHeartbeat}, they tell a watchdog that each of
 * them still turns its loop.
 */
@Component(service = {IoThreads.class, IoHeartbeat.class})
public final class IoThreads implements IoHeartbeat {

    static final String THREADS_PROPERTY = "tailsrv.io.threads";
    static final int MAX_DEFAULT = 4;

    private static final Logger LOG = LoggerFactory.getLogger(IoThreads.class);

    private final AtomicInteger nextClient = new AtomicInteger();
    private final AtomicInteger nextListener = new AtomicInteger();
    private IoLoop[] loops;
    private Dispatch dispatch;

    @Activate
    void activate(BundleContext context) throws IOException {
        start(count(context.getProperty(THREADS_PROPERTY)));
    }

    @Deactivate
    public void stop() {
        for (IoLoop loop : loops) {
            loop.stop();
        }
    }

    @Override
    public void afterAllIoThreadsCheckIn(Runnable allCheckedIn) {
        AtomicInteger waiting = new AtomicInteger(loops.length);
        for (IoLoop loop : loops) {
            loop.execute(() -> {
                if (waiting.decrementAndGet() == 0) {
                    allCheckedIn.run();
                }
            });
        }
    }

    /** Starts {@code count} threads; for tests that run loops outside a framework. */
    public void start(int count) throws IOException {
        loops = new IoLoop[count];
        for (int i = 0; i < count; i++) {
            loops[i] = new IoLoop(i);
            loops[i].start();
        }
        dispatch = new Dispatch(loops);
        LOG.debug("{} I/O threads started", count);
    }

    public int size() {
        return loops.length;
    }

    public IoLoop loop(int index) {
        return loops[index];
    }

    /** How the file watch's thread hands the loops their work (see {@link Dispatch}); for that thread only. */
    public Dispatch dispatch() {
        return dispatch;
    }

    /** The thread a new client goes to: round robin, so load spreads evenly. */
    public IoLoop nextForClient() {
        return loops[Math.floorMod(nextClient.getAndIncrement(), loops.length)];
    }

    /** The thread a new listening socket goes to. */
    public IoLoop nextForListener() {
        return loops[Math.floorMod(nextListener.getAndIncrement(), loops.length)];
    }

    private static int count(String configured) {
        if (configured != null && !configured.isBlank()) {
            try {
                int n = Integer.parseInt(configured.strip());
                if (n >= 1 && n <= 64) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the warning
            }
            LOG.warn("{}={} is not a number from 1 to 64; using the default", THREADS_PROPERTY, configured);
        }
        return Math.min(MAX_DEFAULT, Runtime.getRuntime().availableProcessors());
    }
}
