package io.tailsrv.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AllowListTest {

    private static AllowList allow(String... entries) {
        return AllowList.parse(Arrays.asList(entries));
    }

    /** A literal address; never a DNS lookup. */
    private static InetAddress peer(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anEmptyListPermitsEveryone() {
        AllowList everyone = allow();
        assertSame(AllowList.EVERYONE, everyone);
        assertSame(AllowList.EVERYONE, allow("", "  "));
        assertEquals("everyone", everyone.toString());
        for (String peer : List.of("127.0.0.1", "8.8.8.8", "::1", "2001:db8::1")) {
            assertTrue(everyone.permits(peer(peer)), peer);
        }
    }

    static Stream<Arguments> matches() {
        return Stream.of(
                // IPv4 blocks
                Arguments.of("10.0.0.0/8", "10.0.0.1", true),
                Arguments.of("10.0.0.0/8", "10.255.255.255", true),
                Arguments.of("10.0.0.0/8", "11.0.0.0", false),
                Arguments.of("10.0.0.0/8", "9.255.255.255", false),
                Arguments.of("192.168.1.0/24", "192.168.1.77", true),
                Arguments.of("192.168.1.0/24", "192.168.2.77", false),
                Arguments.of("172.16.0.0/12", "172.31.255.1", true),
                Arguments.of("172.16.0.0/12", "172.32.0.1", false),
                Arguments.of("192.168.1.10/32", "192.168.1.10", true),
                Arguments.of("192.168.1.10/32", "192.168.1.11", false),
                Arguments.of("0.0.0.0/0", "8.8.8.8", true),
                Arguments.of("0.0.0.0/0", "255.255.255.255", true),
                // a bare address is a single host
                Arguments.of("192.168.1.10", "192.168.1.10", true),
                Arguments.of("192.168.1.10", "192.168.1.11", false),
                // IPv6 blocks
                Arguments.of("::1", "::1", true),
                Arguments.of("::1", "::2", false),
                Arguments.of("fd00::/8", "fd12:3456::1", true),
                Arguments.of("fd00::/8", "fc00::1", false),
                Arguments.of("2001:db8::/32", "2001:db8:ffff::1", true),
                Arguments.of("2001:db8::/32", "2001:db9::1", false),
                Arguments.of("::/0", "2001:db8::1", true),
                Arguments.of("::/0", "::1", true),
                // one family never matches the other
                Arguments.of("0.0.0.0/0", "::1", false),
                Arguments.of("127.0.0.1", "::1", false),
                Arguments.of("::/0", "127.0.0.1", false),
                Arguments.of("::1", "127.0.0.1", false));
    }

    @ParameterizedTest(name = "{0} permits {1}: {2}")
    @MethodSource("matches")
    void aBlockPermitsTheAddressesItCovers(String block, String peer, boolean permitted) {
        assertEquals(permitted, allow(block).permits(peer(peer)));
    }

    @Test
    void aPeerInAnyBlockIsPermitted() {
        AllowList list = allow("10.0.0.0/8", " ::1 ", "192.168.1.0/24");
        assertTrue(list.permits(peer("10.9.8.7")));
        assertTrue(list.permits(peer("::1")));
        assertTrue(list.permits(peer("192.168.1.1")));
        assertFalse(list.permits(peer("172.16.0.1")));
        assertFalse(list.permits(peer("fd00::1")));
        assertEquals("[10.0.0.0/8, ::1, 192.168.1.0/24]", list.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/8/8",
        "::/129", "fd00::/-8", "fd00::/ 8"})
    void aPrefixLengthOutOfRangeIsRejected(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> allow(entry));
        assertTrue(e.getMessage().contains("\"" + entry + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("prefix length"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "256.0.0.1", "10.0.0", "10.0.0/8", "1.2.3.4.5", "::zz", "1:2",
        "fe80::1%eth0", "/8", "10.0.0.0 /8"})
    void garbageIsRejected(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> allow(entry));
        assertTrue(e.getMessage().contains("\"" + entry + "\""), e.getMessage());
    }

    /** A name would need DNS; the list takes literals only, so it fails at once. */
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.invalid", "intranet/24", "db.example.com"})
    void aHostnameIsRejectedWithoutALookup(String entry) {
        long start = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> allow(entry));
        assertTrue(e.getMessage().contains("is not an IP address"), e.getMessage());
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "took a second: was a resolver asked?");
    }
}
