package io.tailsrv.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeersTest {

    /** A literal address; never a DNS lookup. */
    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} port {1} -> {2}")
    @CsvSource({
        "127.0.0.1,                5555,  127.0.0.1:5555",
        "10.20.30.40,              1,     10.20.30.40:1",
        "::1,                      5555,  [::1]:5555",
        "0:0:0:0:0:0:0:0,          80,    [::]:80",
        "2001:DB8:0:0:0:0:0:1,     65535, [2001:db8::1]:65535",
        "2001:db8:0:1:0:0:0:1,     443,   [2001:db8:0:1::1]:443",
        "2001:db8:0:0:1:0:0:1,     443,   [2001:db8::1:0:0:1]:443",
        "2001:db8:1:2:3:4:0:5,     443,   [2001:db8:1:2:3:4:0:5]:443",
        "1:0:0:0:0:0:0:0,          443,   [1::]:443",
        "fe80::1%1,                4321,  [fe80::1]:4321",
    })
    void formatsAsAUserWouldWriteIt(String host, int port, String expected) {
        assertEquals(expected, Peers.format(new InetSocketAddress(literal(host), port)));
    }

    @Test
    void aScopeIdIsDropped() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, literal("fe80::abcd").getAddress(), 7);
        assertEquals("[fe80::abcd]:5555", Peers.format(new InetSocketAddress(scoped, 5555)));
    }

    @Test
    void anUnknownPeerIsAQuestionMark() {
        assertEquals("?", Peers.format(null));
    }
}
