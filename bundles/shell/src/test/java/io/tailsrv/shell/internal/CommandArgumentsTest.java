package io.tailsrv.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** The arguments of list, clients, remove, start and stop (add has its own test). */
class CommandArgumentsTest {

    private static final Map<String, Supplier<Object>> COMMANDS = Map.of(
            "tailsrv:list", ListCommand.Options::new,
            "tailsrv:clients", ClientsCommand.Options::new,
            "tailsrv:add", AddCommand.Options::new,
            "tailsrv:remove", RemoveCommand.Options::new,
            "tailsrv:start", StartStopCommand.StartOptions::new,
            "tailsrv:stop", StartStopCommand.StopOptions::new);

    @Test
    void everyCommandPrintsItsUsageOnHelp() {
        COMMANDS.forEach((name, options) -> {
            for (String help : new String[] {"-h", "--help"}) {
                Parsing<Object> parsing = Parsing.of(options.get(), help);
                assertTrue(parsing.options().isEmpty(), name);
                assertTrue(parsing.out().startsWith("Usage: " + name + " "), parsing.out());
                assertEquals("", parsing.err(), name);
            }
        });
    }

    @Test
    void everyCommandPrintsAVersion() {
        COMMANDS.forEach((name, options) -> {
            Parsing<Object> parsing = Parsing.of(options.get(), "-V");
            assertTrue(parsing.options().isEmpty(), name);
            assertEquals("tailsrv shell (not in a framework)", parsing.out().strip(), name);
        });
    }

    @Test
    void everyCommandRefusesAnUnknownOptionWithItsUsage() {
        COMMANDS.forEach((name, options) -> {
            Parsing<Object> parsing = Parsing.of(options.get(), "--frobnicate");
            assertTrue(parsing.options().isEmpty(), name);
            assertTrue(parsing.err().contains("Usage: " + name), parsing.err());
            assertEquals("", parsing.out(), name);
        });
    }

    @Test
    void listTakesNoArguments() {
        assertTrue(Parsing.of(new ListCommand.Options()).options().isPresent());
        Parsing<ListCommand.Options> parsing = Parsing.of(new ListCommand.Options(), "extra");
        assertTrue(parsing.options().isEmpty());
        assertTrue(parsing.err().contains("'extra'"), parsing.err());
        assertTrue(Parsing.of(new ListCommand.Options(), "--frobnicate").err()
                .contains("Unknown option: '--frobnicate'"));
    }

    @Test
    void clientsTakesAnOptionalName() {
        assertNull(Parsing.of(new ClientsCommand.Options()).parsed().name);
        assertEquals("web", Parsing.of(new ClientsCommand.Options(), "web").parsed().name);
        assertTrue(Parsing.of(new ClientsCommand.Options(), "web", "db").options().isEmpty());
    }

    @Test
    void removeStartAndStopNeedExactlyOneName() {
        for (Supplier<InstanceArgument> options : List.<Supplier<InstanceArgument>>of(
                RemoveCommand.Options::new, StartStopCommand.StartOptions::new, StartStopCommand.StopOptions::new)) {
            assertEquals("web", Parsing.of(options.get(), "web").parsed().name);
            Parsing<InstanceArgument> none = Parsing.of(options.get());
            assertTrue(none.options().isEmpty());
            assertTrue(none.err().contains("Missing required parameter: 'NAME'"), none.err());
            assertTrue(Parsing.of(options.get(), "web", "db").options().isEmpty());
        }
    }
}
