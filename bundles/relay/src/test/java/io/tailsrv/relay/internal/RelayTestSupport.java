package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import io.tailsrv.api.Relay;
import io.tailsrv.api.RelayConfig;
import io.tailsrv.api.RelayConfig.Upstream;
import io.tailsrv.api.RelayConfigException;
import io.tailsrv.api.TlsClientConfig;

/**
 * What the relay's tests share: the component made as DS would (with the
 * test's TlsContexts, and timings short enough for a test), a scratch
 * directory, real upstreams, and everything closed after each test.
 */
abstract class RelayTestSupport {

    /** The production numbers, but shorter, so that a test waits seconds, not minutes. */
    static final RelayTimings QUICK = new RelayTimings(Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(200),
            Duration.ofSeconds(1));
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    final TestTlsContexts tlsContexts = new TestTlsContexts();
    final UpstreamRelays relays = new UpstreamRelays(tlsContexts, QUICK);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        relays.deactivate();
    }

    <T extends AutoCloseable> T closedAfter(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    TestUpstream upstream(Path file) throws IOException {
        return closedAfter(TestUpstream.plain(file));
    }

    Relay follow(Path file, StatusEvents events, Upstream... upstreams) throws RelayConfigException {
        return follow(new RelayConfig("test", List.of(upstreams), file, null, null), events);
    }

    Relay follow(RelayConfig config, StatusEvents events) throws RelayConfigException {
        return closedAfter(relays.follow(config, events));
    }

    static RelayConfig config(Path file, TlsClientConfig tls, Duration fsync, Upstream... upstreams) {
        return new RelayConfig("test", List.of(upstreams), file, tls, fsync);
    }

    /** Bytes no two tests share, and in which a shifted copy never matches. */
    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Nothing announces that the relay appended: its file's size is polled, to a deadline. */
    static void awaitSize(Path file, long size) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (Files.size(file) < size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " has " + Files.size(file) + " bytes, not " + size + ", after " + WAIT);
            }
            Thread.sleep(5);
        }
        assertEquals(size, Files.size(file), file + " grew past the upstream's size");
    }

    /** Nothing announces the lag: it is polled, to a deadline. */
    static void awaitLag(Relay relay, LongPredicate wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!wanted.test(relay.status().lag())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("lag " + relay.status().lag() + " after " + WAIT);
            }
            Thread.sleep(10);
        }
    }

    static void assertSameBytes(Path expected, Path actual) throws IOException {
        byte[] want = Files.readAllBytes(expected);
        byte[] got = Files.readAllBytes(actual);
        if (!Arrays.equals(want, got)) {
            assertEquals(want.length, got.length, "lengths of " + expected + " and " + actual);
            assertArrayEquals(want, got, "bytes of " + actual + " against " + expected);
        }
    }
}
