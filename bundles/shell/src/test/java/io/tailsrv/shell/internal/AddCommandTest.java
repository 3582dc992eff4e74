package io.tailsrv.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AddCommandTest {

    @Test
    void theDefaultNameIsTheFileNameWithOddCharactersReplaced() {
        assertEquals("syslog", AddCommand.defaultName(Path.of("/var/log/syslog")));
        assertEquals("app_1.log", AddCommand.defaultName(Path.of("/srv/app-1.log")));
        assertEquals("a_b_c_.txt", AddCommand.defaultName(Path.of("a b(c).txt")));
        assertEquals("caf_.log", AddCommand.defaultName(Path.of("/tmp/café.log")));
        assertEquals("Under_score.And.Dots9", AddCommand.defaultName(Path.of("Under_score.And.Dots9")));
    }

    @Test
    void portAndFileMakeAConfigurationNamedAfterTheFile() {
        AddCommand.Options options = Parsing.of(new AddCommand.Options(), "8080", "/var/log/app-1.log").parsed();
        assertEquals("app_1.log", options.name());
        assertEquals(Map.of("file", "/var/log/app-1.log", "port", 8080), options.configuration());
        assertEquals(List.of("file", "port"), List.copyOf(options.configuration().keySet()));
        assertEquals("*:8080", options.endpoint());
    }

    @Test
    void aRelativeFileIsMadeAbsolute() {
        AddCommand.Options options = Parsing.of(new AddCommand.Options(), "1", "logs/../app.log").parsed();
        assertEquals(Path.of("app.log").toAbsolutePath().toString(), options.configuration().get("file"));
    }

    @Test
    void nameAndBindAreOptions() {
        AddCommand.Options options = Parsing.of(new AddCommand.Options(),
                "--name", "web-1", "--bind", "127.0.0.1", "65535", "/tmp/x").parsed();
        assertEquals("web-1", options.name());
        assertEquals(Map.of("file", "/tmp/x", "port", 65535, "bind", "127.0.0.1"), options.configuration());
        assertEquals("127.0.0.1:65535", options.endpoint());
    }

    @Test
    void anIpv6BindIsBracketedInTheEndpoint() {
        AddCommand.Options options = Parsing.of(new AddCommand.Options(), "--bind", "::1", "80", "/tmp/x").parsed();
        assertEquals("[::1]:80", options.endpoint());
        assertEquals("::1", options.configuration().get("bind"));
    }

    @Test
    void aPortOutsideTheRangeIsRefusedWithUsage() {
        for (String port : new String[] {"0", "65536", "-1"}) {
            Parsing<AddCommand.Options> parsing = Parsing.of(new AddCommand.Options(), port, "/tmp/x");
            assertTrue(parsing.options().isEmpty(), port);
            assertTrue(parsing.err().contains("PORT " + port + " is out of range (1-65535)"), parsing.err());
            assertTrue(parsing.err().contains("Usage: tailsrv:add"), parsing.err());
            assertEquals("", parsing.out());
        }
    }

    @Test
    void aPortThatIsNoNumberIsRefused() {
        Parsing<AddCommand.Options> parsing = Parsing.of(new AddCommand.Options(), "http", "/tmp/x");
        assertTrue(parsing.options().isEmpty());
        assertTrue(parsing.err().contains("'http'"), parsing.err());
    }

    @Test
    void aNameThatCannotBeAFileNameIsRefused() {
        Parsing<AddCommand.Options> parsing = Parsing.of(new AddCommand.Options(), "--name", "a/b", "80", "/tmp/x");
        assertTrue(parsing.options().isEmpty());
        assertTrue(parsing.err().contains("NAME 'a/b' may hold only"), parsing.err());
    }

    @Test
    void aFileWithNoNameIsRefused() {
        Parsing<AddCommand.Options> parsing = Parsing.of(new AddCommand.Options(), "80", "/");
        assertTrue(parsing.options().isEmpty());
        assertTrue(parsing.err().contains("FILE '/' names no file"), parsing.err());
    }

    @Test
    void bothPortAndFileAreRequired() {
        Parsing<AddCommand.Options> parsing = Parsing.of(new AddCommand.Options(), "80");
        assertTrue(parsing.options().isEmpty());
        assertTrue(parsing.err().contains("Missing required parameter: 'FILE'"), parsing.err());
    }

    @Test
    void helpGoesToOutAndNamesEveryArgument() {
        Parsing<AddCommand.Options> parsing = Parsing.of(new AddCommand.Options(), "-h");
        assertTrue(parsing.options().isEmpty());
        assertEquals("", parsing.err());
        for (String word : new String[] {"Usage: tailsrv:add", "--name=NAME", "--bind=ADDR", "PORT", "FILE"}) {
            assertTrue(parsing.out().contains(word), word + " in " + parsing.out());
        }
        assertFalse(parsing.out().contains("\u001b["), "no colours");
    }

    @Test
    void noNameMeansTheDefault() {
        AddCommand.Options options = Parsing.of(new AddCommand.Options(), "80", "/tmp/x").parsed();
        assertNull(options.name);
        assertNull(options.bind);
    }
}
