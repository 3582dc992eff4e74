package io.tailsrv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void aPortAloneIsLoopback() throws UsageException {
        assertEquals(new Target("127.0.0.1", 4321), Target.parse("4321"));
    }

    @Test
    void hostAndPort() throws UsageException {
        assertEquals(new Target("webserver", 1), Target.parse("webserver:1"));
        assertEquals(new Target("10.0.0.2", 65535), Target.parse("10.0.0.2:65535"));
    }

    @Test
    void ipv6InBrackets() throws UsageException {
        Target target = Target.parse("[::1]:4321");
        assertEquals(new Target("::1", 4321), target);
        assertEquals("[::1]:4321", target.toString());
    }

    @Test
    void printsAsParsed() throws UsageException {
        assertEquals("127.0.0.1:4321", Target.parse("4321").toString());
    }

    @Test
    void rejectsWhatIsNotHostAndPort() {
        for (String bad : new String[] {"0", "65536", "host:", ":4321", "host:port", "4321x", "::1:4321", "",
            "99999999999"}) {
            assertThrows(UsageException.class, () -> Target.parse(bad), bad);
        }
    }
}
