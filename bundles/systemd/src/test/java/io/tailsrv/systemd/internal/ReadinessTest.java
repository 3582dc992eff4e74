package io.tailsrv.systemd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void aPidIsEscapedIntoAFilterValue() {
        assertEquals("tailsrv~web", Readiness.escape("tailsrv~web"));
        assertEquals("tailsrv~a\\*b\\(c\\)\\\\d", Readiness.escape("tailsrv~a*b(c)\\d"));
    }
}
