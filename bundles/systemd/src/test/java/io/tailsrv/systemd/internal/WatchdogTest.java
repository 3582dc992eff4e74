package io.tailsrv.systemd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class WatchdogTest {

    private static final long PID = 4242;

    @Test
    void pingsAtHalfTheIntervalSystemdAsksFor() {
        assertEquals(Optional.of(Duration.ofSeconds(15)), Watchdog.interval(Map.of("WATCHDOG_USEC", "30000000"), PID));
        assertEquals(Optional.of(Duration.ofMillis(200)), Watchdog.interval(Map.of("WATCHDOG_USEC", "400000"), PID));
    }

    @Test
    void onlyWhenTheWatchdogIsOursAndValid() {
        assertEquals(Optional.empty(), Watchdog.interval(Map.of(), PID));
        assertEquals(Optional.empty(), Watchdog.interval(Map.of("WATCHDOG_USEC", "400000", "WATCHDOG_PID", "1"), PID));
        assertEquals(Optional.of(Duration.ofMillis(200)),
                Watchdog.interval(Map.of("WATCHDOG_USEC", "400000", "WATCHDOG_PID", "4242"), PID));
        assertEquals(Optional.empty(), Watchdog.interval(Map.of("WATCHDOG_USEC", "soon"), PID));
        assertEquals(Optional.empty(), Watchdog.interval(Map.of("WATCHDOG_USEC", "0"), PID));
    }
}
