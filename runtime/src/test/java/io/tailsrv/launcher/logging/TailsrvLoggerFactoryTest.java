package io.tailsrv.launcher.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class TailsrvLoggerFactoryTest {

    private static final String HEALTH_CHECKS = "org.apache.felix.hc.core.impl.executor.HealthCheckExecutorImpl";

    @Test
    void healthChecksSayOnlyWarningsAtTheDefaultLevel() {
        TailsrvLoggerFactory factory = new TailsrvLoggerFactory(Level.INFO);
        assertEquals(Level.WARN, factory.thresholdFor(HEALTH_CHECKS));
        assertFalse(factory.getLogger(HEALTH_CHECKS).isInfoEnabled());
        assertTrue(factory.getLogger(HEALTH_CHECKS).isWarnEnabled());
        assertTrue(factory.getLogger("io.tailsrv.server.internal.FileFollower").isInfoEnabled());
    }

    @Test
    void anExplicitLevelAppliesToEveryLogger() {
        assertEquals(Level.DEBUG, new TailsrvLoggerFactory(Level.DEBUG).thresholdFor(HEALTH_CHECKS));
        assertEquals(Level.ERROR, new TailsrvLoggerFactory(Level.ERROR).thresholdFor(HEALTH_CHECKS));
    }
}
