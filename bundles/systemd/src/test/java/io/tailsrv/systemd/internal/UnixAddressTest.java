package io.tailsrv.systemd.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class UnixAddressTest {

    @Test
    void aPathCarriesItsTerminatingNul() {
        byte[] address = UnixAddress.of("/run/systemd/notify");
        assertEquals(LibC.AF_UNIX, family(address));
        assertEquals(2 + "/run/systemd/notify".length() + 1, address.length);
        assertArrayEquals("/run/systemd/notify\0".getBytes(), Arrays.copyOfRange(address, 2, address.length));
    }

    @Test
    void anAbstractNameStartsWithNulAndEndsWithItsLastByte() {
        byte[] address = UnixAddress.of("@tailsrv/notify");
        assertEquals(LibC.AF_UNIX, family(address));
        assertEquals(2 + 1 + "tailsrv/notify".length(), address.length, "no trailing NUL: it would be part of the name");
        assertArrayEquals("\0tailsrv/notify".getBytes(), Arrays.copyOfRange(address, 2, address.length));
    }

    @Test
    void namesSunPathCannotHoldAreRefused() {
        assertEquals(110, UnixAddress.of("/" + "x".repeat(106)).length);
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.of("/" + "x".repeat(107)));
        assertEquals(110, UnixAddress.of("@" + "x".repeat(107)).length);
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.of("@" + "x".repeat(108)));
    }

    @Test
    void relativePathsAndOtherSchemesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.of("run/notify"));
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.of("vsock:2:1234"));
    }

    private static int family(byte[] address) {
        return ByteBuffer.wrap(address).order(ByteOrder.nativeOrder()).getShort();
    }
}
