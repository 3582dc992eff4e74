package io.tailsrv.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void hostAndPort() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9100), Address.parse("127.0.0.1:9100"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 9100), Address.parse("[::1]:9100"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 1), Address.parse("0.0.0.0:1"));
    }

    @Test
    void anythingElseIsRefusedSayingWhy() {
        assertEquals("not HOST:PORT: 9100", assertThrows(IllegalArgumentException.class, () -> Address.parse("9100")).getMessage());
        assertEquals("not HOST:PORT: :9100", assertThrows(IllegalArgumentException.class, () -> Address.parse(":9100")).getMessage());
        assertEquals("not HOST:PORT: host:", assertThrows(IllegalArgumentException.class, () -> Address.parse("host:")).getMessage());
        assertEquals("not a port: x", assertThrows(IllegalArgumentException.class, () -> Address.parse("host:x")).getMessage());
        assertEquals("the port must be from 1 to 65535, not 65536",
                assertThrows(IllegalArgumentException.class, () -> Address.parse("127.0.0.1:65536")).getMessage());
        assertEquals("unknown host no.such.host.invalid",
                assertThrows(IllegalArgumentException.class, () -> Address.parse("no.such.host.invalid:9100")).getMessage());
    }
}
