package io.tailsrv.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import io.tailsrv.api.InstanceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    private static final String FILE = "/var/log/served.log";

    /** The smallest valid configuration, plus {@code more} as name, value pairs. */
    private static Map<String, Object> config(Object... more) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(InstanceConfig.FILE, FILE);
        properties.put(InstanceConfig.PORT, "4321");
        for (int i = 0; i < more.length; i += 2) {
            properties.put((String) more[i], more[i + 1]);
        }
        return properties;
    }

    private static Settings read(Object... more) throws InvalidSettingException {
        return Settings.from(config(more));
    }

    /** Expects {@code property} to be rejected, naming itself and quoting {@code shown} in the message. */
    private static void assertRejected(String property, Object value, String shown) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(property, value));
        assertAll(
                () -> assertEquals(property, e.property()),
                () -> assertTrue(e.getMessage().startsWith(property + ": "), e.getMessage()),
                () -> assertTrue(e.getMessage().contains(shown), e.getMessage()));
    }

    @Test
    void defaultsApplyToAbsentOptionalProperties() throws Exception {
        Settings s = read();
        assertAll(
                () -> assertEquals(Path.of(FILE), s.file()),
                () -> assertEquals(4321, s.port()),
                () -> assertNull(s.bind()),
                () -> assertFalse(s.linger()),
                () -> assertEquals(Duration.ofSeconds(30), s.headerTimeout()),
                () -> assertEquals(0, s.maxClients()),
                () -> assertSame(AllowList.EVERYONE, s.allow()),
                () -> assertTrue(s.enabled()));
    }

    // file

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = "   ")
    void fileIsRequired(String missing) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(InstanceConfig.FILE, missing));
        assertEquals(InstanceConfig.FILE, e.property());
        assertTrue(e.getMessage().contains("required"), e.getMessage());
    }

    @Test
    void fileIsMadeAbsoluteAndNormal() throws Exception {
        assertEquals(Path.of("app.log").toAbsolutePath(), read(InstanceConfig.FILE, " logs/../app.log ").file());
        assertEquals(Path.of("/var/log/app.log"), read(InstanceConfig.FILE, "/var/log/./app.log").file());
    }

    @Test
    void fileWithANulCharacterIsRejected() {
        assertRejected(InstanceConfig.FILE, "bad\0name", "bad\0name");
    }

    // port

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = " ")
    void portIsRequired(String missing) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(InstanceConfig.PORT, missing));
        assertEquals(InstanceConfig.PORT, e.property());
        assertTrue(e.getMessage().contains("required"), e.getMessage());
    }

    static Stream<Arguments> acceptedPorts() {
        return Stream.of(
                Arguments.of(4321, 4321),
                Arguments.of(4321L, 4321),
                Arguments.of("4321", 4321),
                Arguments.of(" 4321 ", 4321),
                Arguments.of("1", 1),
                Arguments.of(65535, 65535));
    }

    @ParameterizedTest
    @MethodSource("acceptedPorts")
    void portAcceptsIntegerLongAndString(Object value, int expected) throws Exception {
        assertEquals(expected, read(InstanceConfig.PORT, value).port());
    }

    static Stream<Arguments> rejectedPorts() {
        return Stream.of(
                Arguments.of("abc", "\"abc\""),
                Arguments.of("43.21", "\"43.21\""),
                Arguments.of(0, "0"),
                Arguments.of("-1", "-1"),
                Arguments.of(65536, "65536"),
                Arguments.of(70000L, "70000"),
                Arguments.of("70000", "70000"));
    }

    @ParameterizedTest
    @MethodSource("rejectedPorts")
    void portOutsideOneTo65535OrNotANumberIsRejected(Object value, String shown) {
        assertRejected(InstanceConfig.PORT, value, shown);
    }

    // bind

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "*", " * "})
    void bindEmptyOrStarMeansEveryInterface(String value) throws Exception {
        assertNull(read(InstanceConfig.BIND, value).bind());
    }

    static Stream<Arguments> acceptedBinds() throws Exception {
        return Stream.of(
                Arguments.of("127.0.0.1", InetAddress.getByAddress(new byte[] {127, 0, 0, 1})),
                Arguments.of(" 10.1.2.3 ", InetAddress.getByAddress(new byte[] {10, 1, 2, 3})),
                Arguments.of("::1", InetAddress.getByAddress(ipv6(1))),
                Arguments.of("[::1]", InetAddress.getByAddress(ipv6(1))),
                Arguments.of("[0:0:0:0:0:0:0:1]", InetAddress.getByAddress(ipv6(1))));
    }

    @ParameterizedTest
    @MethodSource("acceptedBinds")
    void bindAcceptsIpv4AndIpv6WithOrWithoutBrackets(String value, InetAddress expected) throws Exception {
        assertEquals(expected, read(InstanceConfig.BIND, value).bind());
    }

    @Test
    void bindAcceptsLocalhost() throws Exception {
        // Resolved from the hosts file, not DNS; either loopback family will do.
        assertTrue(read(InstanceConfig.BIND, "localhost").bind().isLoopbackAddress());
    }

    /**
     * Invalid IPv6 literals: InetAddress rejects them without asking a resolver
     * (unlike "999.1.1.1", which it hands to the system resolver as a name).
     */
    @ParameterizedTest
    @ValueSource(strings = {"::zz", "[::zz]", "1:2", "[1:2:3]"})
    void bindThatIsNoAddressIsRejected(String value) {
        assertRejected(InstanceConfig.BIND, value, "\"" + value + "\"");
    }

    // linger and enabled

    static Stream<Arguments> booleans() {
        return Stream.of(
                Arguments.of(Boolean.TRUE, true),
                Arguments.of(Boolean.FALSE, false),
                Arguments.of("true", true),
                Arguments.of("TRUE", true),
                Arguments.of(" True ", true),
                Arguments.of("false", false),
                Arguments.of("FALSE", false));
    }

    @ParameterizedTest
    @MethodSource("booleans")
    void lingerAndEnabledAcceptBooleansAndTheirText(Object value, boolean expected) throws Exception {
        assertEquals(expected, read(InstanceConfig.LINGER, value).linger());
        assertEquals(expected, read(InstanceConfig.ENABLED, value).enabled());
    }

    @Test
    void blankLingerAndEnabledTakeTheirDefaults() throws Exception {
        Settings s = read(InstanceConfig.LINGER, "", InstanceConfig.ENABLED, " ");
        assertFalse(s.linger());
        assertTrue(s.enabled());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "on"})
    void lingerAndEnabledRejectAnythingElse(String value) {
        assertRejected(InstanceConfig.LINGER, value, "\"" + value + "\"");
        assertRejected(InstanceConfig.ENABLED, value, "\"" + value + "\"");
    }

    // header.timeout

    static Stream<Arguments> acceptedTimeouts() {
        return Stream.of(
                Arguments.of("", Duration.ofSeconds(30)),
                Arguments.of("0.5", Duration.ofMillis(500)),
                Arguments.of(" 2 ", Duration.ofSeconds(2)),
                Arguments.of(10, Duration.ofSeconds(10)),
                Arguments.of(2.5d, Duration.ofMillis(2500)),
                Arguments.of("86400", Duration.ofDays(1)));
    }

    @ParameterizedTest
    @MethodSource("acceptedTimeouts")
    void headerTimeoutIsInSeconds(Object value, Duration expected) throws Exception {
        assertEquals(expected, read(InstanceConfig.HEADER_TIMEOUT, value).headerTimeout());
    }

    static Stream<Arguments> rejectedTimeouts() {
        return Stream.of(
                Arguments.of("0", "0"),
                Arguments.of(0.0d, "0.0"),
                Arguments.of("0.0009", "0.0009"),
                Arguments.of("-1", "-1"),
                Arguments.of("86401", "86401"),
                Arguments.of("NaN", "NaN"),
                Arguments.of("x", "\"x\""));
    }

    @ParameterizedTest
    @MethodSource("rejectedTimeouts")
    void headerTimeoutThatIsNotPositiveOrNotANumberIsRejected(Object value, String shown) {
        assertRejected(InstanceConfig.HEADER_TIMEOUT, value, shown);
    }

    // max.clients

    static Stream<Arguments> acceptedMaxClients() {
        return Stream.of(
                Arguments.of("", 0),
                Arguments.of("0", 0),
                Arguments.of(5, 5),
                Arguments.of(7L, 7),
                Arguments.of(" 100 ", 100));
    }

    @ParameterizedTest
    @MethodSource("acceptedMaxClients")
    void maxClientsIsAWholeNumberWithZeroForNoLimit(Object value, int expected) throws Exception {
        assertEquals(expected, read(InstanceConfig.MAX_CLIENTS, value).maxClients());
    }

    static Stream<Arguments> rejectedMaxClients() {
        return Stream.of(
                Arguments.of("-1", "-1"),
                Arguments.of(-5, "-5"),
                Arguments.of(3_000_000_000L, "3000000000"),
                Arguments.of("many", "\"many\""));
    }

    @ParameterizedTest
    @MethodSource("rejectedMaxClients")
    void maxClientsNegativeOrNotANumberIsRejected(Object value, String shown) {
        assertRejected(InstanceConfig.MAX_CLIENTS, value, shown);
    }

    // max.pending

    static Stream<Arguments> acceptedMaxPending() {
        return Stream.of(
                Arguments.of("", 1000),
                Arguments.of("1", 1),
                Arguments.of(5000, 5000),
                Arguments.of(" 20 ", 20));
    }

    @ParameterizedTest
    @MethodSource("acceptedMaxPending")
    void maxPendingIsAPositiveWholeNumber(Object value, int expected) throws Exception {
        assertEquals(expected, read(InstanceConfig.MAX_PENDING, value).maxPending());
    }

    static Stream<Arguments> rejectedMaxPending() {
        return Stream.of(
                Arguments.of("0", "0"),
                Arguments.of(-5, "-5"),
                Arguments.of(3_000_000_000L, "3000000000"),
                Arguments.of("lots", "\"lots\""));
    }

    @ParameterizedTest
    @MethodSource("rejectedMaxPending")
    void maxPendingBelowOneOrNotANumberIsRejected(Object value, String shown) {
        assertRejected(InstanceConfig.MAX_PENDING, value, shown);
    }

    // allow

    private static final InetAddress TEN = address(10, 1, 2, 3);
    private static final InetAddress LAN = address(192, 168, 1, 20);
    private static final InetAddress ELSEWHERE = address(8, 8, 8, 8);

    static Stream<Arguments> allowForms() {
        return Stream.of(
                Arguments.of("string with commas", "10.0.0.0/8,192.168.1.0/24"),
                Arguments.of("string with spaces", "10.0.0.0/8 192.168.1.0/24"),
                Arguments.of("string with both", " 10.0.0.0/8 ,\t192.168.1.0/24, "),
                Arguments.of("array", new String[] {"10.0.0.0/8", " 192.168.1.0/24 ", ""}),
                Arguments.of("list", List.of("10.0.0.0/8", "192.168.1.0/24")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allowForms")
    void allowAcceptsAStringAnArrayOrAList(String form, Object value) throws Exception {
        AllowList allow = read(InstanceConfig.ALLOW, value).allow();
        assertAll(
                () -> assertTrue(allow.permits(TEN)),
                () -> assertTrue(allow.permits(LAN)),
                () -> assertFalse(allow.permits(ELSEWHERE)));
    }

    @Test
    void emptyAllowLetsEveryoneIn() throws Exception {
        assertSame(AllowList.EVERYONE, read(InstanceConfig.ALLOW, "").allow());
        assertSame(AllowList.EVERYONE, read(InstanceConfig.ALLOW, new String[0]).allow());
        assertSame(AllowList.EVERYONE, read(InstanceConfig.ALLOW, List.of()).allow());
    }

    @Test
    void allowWithABadEntryIsRejected() {
        assertRejected(InstanceConfig.ALLOW, "10.0.0.0/8, 10.0.0.0/40", "10.0.0.0/40");
        assertRejected(InstanceConfig.ALLOW, List.of("::1", "intranet"), "intranet");
    }

    @Test
    void theFirstBadPropertyIsNamed() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> read(InstanceConfig.PORT, "x", InstanceConfig.LINGER, "maybe"));
        assertEquals(InstanceConfig.PORT, e.property());
    }

    // tls

    @Test
    void tlsIsOffWithoutACertificateAndRequiredWithOne() throws Exception {
        Settings plain = read();
        assertEquals(TlsMode.OFF, plain.tls());
        assertNull(plain.tlsConfig());
        Settings pem = read(InstanceConfig.TLS_CERT, "/etc/tls/chain.pem", InstanceConfig.TLS_KEY, "/etc/tls/key.pem");
        assertEquals(TlsMode.REQUIRED, pem.tls());
        assertEquals(Path.of("/etc/tls/chain.pem"), pem.tlsConfig().cert());
        Settings p12 = read(InstanceConfig.TLS_KEYSTORE, "/etc/tls/s.p12", InstanceConfig.TLS, "optional",
                InstanceConfig.TLS_KEYSTORE_PASSWORD, "secret");
        assertEquals(TlsMode.OPTIONAL, p12.tls());
        assertEquals("secret", p12.tlsConfig().keystorePassword());
        assertFalse(p12.tlsConfig().toString().contains("secret"), "the password stays out of logs");
        Settings off = read(InstanceConfig.TLS_CERT, "/c.pem", InstanceConfig.TLS_KEY, "/k.pem", InstanceConfig.TLS, "OFF");
        assertEquals(TlsMode.OFF, off.tls());
        assertNull(off.tlsConfig(), "off: the files are not read");
        Settings mutual = read(InstanceConfig.TLS_CERT, "/c.pem", InstanceConfig.TLS_KEY, "/k.pem",
                InstanceConfig.TLS_CLIENT_CA, "/ca.pem", InstanceConfig.TLS_CLIENT_ALLOW, "a.example.com, *.b.example.com");
        assertTrue(mutual.tlsConfig().clientCertificates());
        assertEquals(List.of("a.example.com", "*.b.example.com"), mutual.tlsConfig().clientAllow());
    }

    static Stream<Arguments> badTls() {
        return Stream.of(
                Arguments.of(new Object[] {InstanceConfig.TLS_CERT, "/c.pem"}, InstanceConfig.TLS_KEY, "is required with tls.cert"),
                Arguments.of(new Object[] {InstanceConfig.TLS_KEY, "/k.pem"}, InstanceConfig.TLS_CERT, "is required with tls.key"),
                Arguments.of(new Object[] {InstanceConfig.TLS_CERT, "/c.pem", InstanceConfig.TLS_KEY, "/k.pem",
                        InstanceConfig.TLS_KEYSTORE, "/s.p12"}, InstanceConfig.TLS_KEYSTORE, "one or the other"),
                Arguments.of(new Object[] {InstanceConfig.TLS, "optional"}, InstanceConfig.TLS, "needs a certificate"),
                Arguments.of(new Object[] {InstanceConfig.TLS, "yes"}, InstanceConfig.TLS, "\"yes\" is not off, optional or required"),
                Arguments.of(new Object[] {InstanceConfig.TLS_CLIENT_CA, "/ca.pem"}, InstanceConfig.TLS_CLIENT_CA, "tls is off"),
                Arguments.of(new Object[] {InstanceConfig.TLS_KEYSTORE, "/s.p12", InstanceConfig.TLS_CLIENT_ALLOW, "a.example.com"},
                        InstanceConfig.TLS_CLIENT_ALLOW, "needs tls.client.ca"),
                Arguments.of(new Object[] {InstanceConfig.TLS_KEYSTORE, "/s.p12", InstanceConfig.TLS_CLIENT_CA, "/ca.pem",
                        InstanceConfig.TLS_CLIENT_ALLOW, "a*.example.com"}, InstanceConfig.TLS_CLIENT_ALLOW, "\"a*.example.com\""),
                Arguments.of(new Object[] {InstanceConfig.TLS_KEYSTORE, "/s.p12", InstanceConfig.TLS_CLIENT_CA, "/ca.pem",
                        InstanceConfig.TLS_CLIENT_ALLOW, "*."}, InstanceConfig.TLS_CLIENT_ALLOW, "\"*.\""));
    }

    @ParameterizedTest
    @MethodSource("badTls")
    void badTlsSettingsNameTheProperty(Object[] given, String property, String says) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(given));
        assertEquals(property, e.property(), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    // needsRestartFor

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of(InstanceConfig.FILE, "/var/log/other.log", true),
                Arguments.of(InstanceConfig.PORT, "4322", true),
                Arguments.of(InstanceConfig.BIND, "127.0.0.1", true),
                Arguments.of(InstanceConfig.LINGER, "true", true),
                Arguments.of(InstanceConfig.ENABLED, "false", true),
                Arguments.of(InstanceConfig.HEADER_TIMEOUT, "5", false),
                Arguments.of(InstanceConfig.MAX_CLIENTS, "10", false),
                Arguments.of(InstanceConfig.MAX_PENDING, "10", false),
                Arguments.of(InstanceConfig.TLS_KEYSTORE, "/etc/tls/s.p12", true),
                Arguments.of(InstanceConfig.ALLOW, "10.0.0.0/8", false));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("changes")
    void onlyListenerAndWatchPropertiesNeedARestart(String property, String value, boolean restart)
            throws Exception {
        Settings before = read();
        Settings after = read(property, value);
        assertEquals(restart, before.needsRestartFor(after));
        assertEquals(restart, after.needsRestartFor(before));
    }

    @Test
    void identicalSettingsNeedNoRestart() throws Exception {
        Map<String, Object> all = config(InstanceConfig.BIND, "::1", InstanceConfig.LINGER, "true", InstanceConfig.ENABLED, "false");
        assertFalse(Settings.from(all).needsRestartFor(Settings.from(all)));
    }

    // endpoint

    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of("", "*:4321"),
                Arguments.of("*", "*:4321"),
                Arguments.of("127.0.0.1", "127.0.0.1:4321"),
                Arguments.of("::1", "[::1]:4321"),
                Arguments.of("[::1]", "[::1]:4321"),
                Arguments.of("0:0:0:0:0:0:0:1", "[::1]:4321"),
                Arguments.of("FD00:0:0:0:0:0:0:0", "[fd00::]:4321"),
                Arguments.of("2001:db8:0:0:1:0:0:1", "[2001:db8::1:0:0:1]:4321"));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void endpointIsWrittenAsAUserWouldWriteIt(String bind, String expected) throws Exception {
        assertEquals(expected, read(InstanceConfig.BIND, bind).endpoint());
    }

    private static byte[] ipv6(int last) {
        byte[] bytes = new byte[16];
        bytes[15] = (byte) last;
        return bytes;
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
