package io.tailsrv.relay.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.ClientTls;
import io.tailsrv.api.Relay;
import io.tailsrv.api.RelayConfig;
import io.tailsrv.api.RelayConfig.Upstream;
import io.tailsrv.api.RelayStatus;
import io.tailsrv.api.RelayStatus.State;

/**
 * One relay: connects to an upstream, asks for the file's last bytes
 * again, checks them ({@link Continuity}), appends what follows, and when
 * the connection ends tries the next upstream after a wait
 * ({@link Failover}). Bytes that differ from the file stop it for good:
 * FAILED, with nothing of them written. Everything but {@link #status} and
 * {@link #close} runs on the loop thread.
 */
final class FileRelay implements Relay {

    private static final Logger LOG = LoggerFactory.getLogger(FileRelay.class);

    private final RelayConfig config;
    private final RelayFile file;
    private final ClientTls tls;
    private final RelayLoop loop;
    private final RelayTimings timings;
    private final Consumer<RelayStatus> events;
    private final Consumer<FileRelay> forget;
    private final RelayLog log;
    private final Failover failover;
    private final AtomicBoolean closeAsked = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    // Loop thread only.
    private UpstreamConnection connection;
    private Continuity continuity;
    private SizeProbe probe;
    private RelayLoop.Scheduled checkTimer;
    private RelayLoop.Scheduled retryTimer;
    private RelayLoop.Scheduled syncTimer;
    private RelayLoop.Scheduled probeTimer;
    private boolean requestSent;
    private boolean connectedBefore;
    private long followingSinceNanos;
    private long reconnects;
    private long continuityFailures;
    private boolean saidSizeUnknown;
    private boolean stopped;
    private RelayStatus told;

    // Any thread.
    private volatile RelayStatus status;
    private volatile long held;
    private volatile long upstreamSize = -1;

    /**
     * @param tls null for plain TCP; closed with the relay
     * @param forget told once it is closed
     */
    FileRelay(RelayConfig config, RelayFile file, ClientTls tls, RelayLoop loop, RelayTimings timings,
            Consumer<RelayStatus> events, Consumer<FileRelay> forget) {
        this.config = config;
        this.file = file;
        this.tls = tls;
        this.loop = loop;
        this.timings = timings;
        this.events = events;
        this.forget = forget;
        this.log = new RelayLog(config.instance(), config.file().toString());
        this.failover = new Failover(config.upstreams(), timings, new SplittableRandom());
        this.status = new RelayStatus(State.CONNECTING, failover.current().toString(), -1, 0, 0, null);
        this.held = file.size();
    }

    /** Loop thread. */
    void start() {
        connect();
    }

    /**
     * The lag is what the upstream's file held at the last answer to
     * {@link SizeProbe} beyond what this file holds now: exact at that
     * moment, and a lower bound since, as the upstream's file only grows.
     */
    @Override
    public RelayStatus status() {
        RelayStatus now = status;
        long size = upstreamSize;
        long lag = now.state() == State.FOLLOWING && size >= 0 ? Math.max(0, size - held) : -1;
        return new RelayStatus(now.state(), now.upstream(), lag, now.reconnects(), now.continuityFailures(),
                now.reason());
    }

    @Override
    public void close() {
        if (loop.inLoop()) {
            closeNow();
            return;
        }
        if (closeAsked.compareAndSet(false, true)) {
            loop.execute(this::closeNow);
        }
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many times the file was synced (fdatasync): what the tests of {@code upstream.fsync} count. */
    long syncs() {
        return file.syncs();
    }

    private void connect() {
        retryTimer = null;
        if (stopped) {
            return; // closed before its start came round
        }
        Upstream upstream = failover.current();
        try {
            held = file.refreshSize();
            continuity = Continuity.of(file);
        } catch (IOException e) {
            fail("cannot read " + file.path() + " back: " + e.getMessage());
            return;
        }
        requestSent = false;
        connection = UpstreamConnection.open(loop, upstream, tls, continuity.start() + "\n", timings.connectTimeout(),
                new Following());
        update(State.CONNECTING, null);
    }

    /** What the connection to the upstream brings. */
    private final class Following implements UpstreamConnection.Receiver {

        @Override
        public void sent() {
            requestSent = true;
            if (connectedBefore) {
                reconnects++;
            }
            connectedBefore = true;
            if (continuity.complete()) {
                following();
            } else {
                checkTimer = loop.schedule(timings.checkTimeout().toNanos(), FileRelay.this::upstreamHoldsLess);
            }
        }

        @Override
        public void received(ByteBuffer bytes) {
            if (!continuity.complete()) {
                long differs = continuity.check(bytes);
                if (differs >= 0) {
                    diverged(differs);
                    return;
                }
                if (!continuity.complete()) {
                    return;
                }
                following();
                if (stopped) {
                    return;
                }
            }
            if (bytes.hasRemaining()) {
                append(bytes);
            }
        }

        @Override
        public void ended(String why) {
            connection = null;
            disconnected(why);
        }
    }

    private void following() {
        cancel(checkTimer);
        checkTimer = null;
        followingSinceNanos = System.nanoTime();
        log.info(LOG).log("[{}] connected to upstream {} at offset {}, continuity checked ({} bytes), following",
                log.name(), failover.current(), file.size(), continuity.length());
        probeSize();
        update(State.FOLLOWING, null);
    }

    private void append(ByteBuffer bytes) {
        try {
            file.append(bytes);
        } catch (IOException e) {
            fail("cannot write " + file.path() + ": " + e.getMessage());
            return;
        }
        held = file.size();
        if (config.fsync() != null && syncTimer == null) {
            syncTimer = loop.schedule(config.fsync().toNanos(), this::sync);
        }
    }

    /** {@code upstream.fsync}'s period is up, and bytes were appended since the last sync. */
    private void sync() {
        syncTimer = null;
        try {
            file.sync();
        } catch (IOException e) {
            fail("cannot make " + file.path() + " durable (fdatasync): " + e.getMessage());
        }
    }

    /** The continuity window did not all come: the upstream's file is shorter than this one. */
    private void upstreamHoldsLess() {
        checkTimer = null;
        connection.close();
        connection = null;
        disconnected("it holds less than " + file.path() + ": it sent " + continuity.checked() + " of the "
                + continuity.length() + " bytes before offset " + file.size() + " within "
                + timings.checkTimeout().toMillis() + " ms");
    }

    private void disconnected(String why) {
        Upstream failed = failover.current();
        boolean wasConnected = requestSent;
        long followedNanos = followingSinceNanos == 0 ? 0 : System.nanoTime() - followingSinceNanos;
        dropConnection();
        long waitNanos = failover.failed(followedNanos);
        Upstream next = failover.current();
        log.warn(LOG).log("[{}] {} upstream {} ({}); backing off {} ms{}", log.name(),
                wasConnected ? "disconnected from" : "cannot connect to", failed, why,
                TimeUnit.NANOSECONDS.toMillis(waitNanos), next.equals(failed) ? "" : ", then trying " + next);
        retryTimer = loop.schedule(waitNanos, this::connect);
        update(State.BACKING_OFF, "upstream " + failed + ": " + why);
    }

    private void diverged(long offset) {
        continuityFailures++;
        fail("upstream " + failover.current() + " sent bytes that differ from " + file.path() + " at offset " + offset
                + ": its file was truncated, rotated or replaced, and none of them was appended (to follow it"
                + " afresh, move the file away and start the instance again)");
    }

    /** Stops for good; the file stays locked, as it is, until the relay is closed. */
    private void fail(String reason) {
        dropConnection();
        cancel(retryTimer);
        retryTimer = null;
        stopped = true;
        syncIfAsked();
        log.error(LOG).log("[{}] failed: {}", log.name(), reason);
        update(State.FAILED, reason);
    }

    private void closeNow() {
        if (closed.getCount() == 0) {
            return;
        }
        stopped = true;
        dropConnection();
        cancel(retryTimer);
        syncIfAsked();
        try {
            file.close();
        } catch (IOException e) {
            log.warn(LOG).log("[{}] cannot close {}: {}", log.name(), file.path(), e.getMessage());
        }
        if (tls != null) {
            tls.close();
        }
        forget.accept(this);
        closed.countDown();
    }

    /** With {@code upstream.fsync} set, what was appended since the last sync is made durable now. */
    private void syncIfAsked() {
        cancel(syncTimer);
        syncTimer = null;
        if (config.fsync() == null || !file.unsynced()) {
            return;
        }
        try {
            file.sync();
        } catch (IOException e) {
            log.warn(LOG).log("[{}] cannot make {} durable (fdatasync): {}", log.name(), file.path(), e.getMessage());
        }
    }

    /** Asks for the upstream's size, and again every probe period, unless it does not speak HTTP. */
    private void probeSize() {
        probeTimer = null;
        Upstream upstream = failover.current();
        probe = SizeProbe.start(loop, upstream, tls, timings.probeTimeout(), new SizeProbe.Answer() {
            @Override
            public void size(long bytes) {
                probe = null;
                upstreamSize = bytes;
                probeAgain();
            }

            @Override
            public void none(boolean again) {
                probe = null;
                upstreamSize = -1;
                if (again) {
                    probeAgain();
                } else if (!saidSizeUnknown) {
                    saidSizeUnknown = true;
                    log.info(LOG).log("[{}] upstream {} does not answer HEAD / with its size (http = false there?):"
                            + " the lag is unknown", log.name(), upstream);
                }
            }
        });
    }

    private void probeAgain() {
        probeTimer = loop.schedule(timings.probePeriod().toNanos(), this::probeSize);
    }

    private void dropConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (probe != null) {
            probe.cancel();
            probe = null;
        }
        cancel(checkTimer);
        cancel(probeTimer);
        checkTimer = null;
        probeTimer = null;
        followingSinceNanos = 0;
        upstreamSize = -1;
    }

    /** Publishes the state, and tells {@code events} when it, the upstream or the reason changed. */
    private void update(State state, String reason) {
        RelayStatus next = new RelayStatus(state, failover.current().toString(), -1, reconnects, continuityFailures,
                reason);
        status = next;
        if (told != null && told.state() == state && told.upstream().equals(next.upstream())
                && Objects.equals(told.reason(), reason)) {
            return;
        }
        told = next;
        try {
            events.accept(status());
        } catch (RuntimeException e) {
            log.warn(LOG).setCause(e).log("[{}] the relay's listener failed", log.name());
        }
    }

    private static void cancel(RelayLoop.Scheduled timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
