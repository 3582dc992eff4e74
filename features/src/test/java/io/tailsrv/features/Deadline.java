package io.tailsrv.features;

import static org.junit.Assert.fail;

import java.time.Duration;

/** How long a test waits for anything, counted from when it started waiting. */
final class Deadline {

    /** Long enough for a slow, shared 2-core machine; a wait that passes it is a failure. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final long end = System.nanoTime() + WAIT.toNanos();
    private final String what;

    Deadline(String what) {
        this.what = what;
    }

    /** Milliseconds left; fails the test, naming what it waited for, once none are. */
    long remainingMillis() {
        long left = (end - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            fail("waited " + WAIT.toSeconds() + " s for " + what);
        }
        return left;
    }
}
