package io.tailsrv.server.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.server.internal.config.InvalidSettingException;
import io.tailsrv.server.internal.config.Settings;

/**
 * One configuration, described four times, must say one thing: the
 * metatype bnd generated from {@link TailsrvConfig} (what Karaf's config
 * commands and web consoles show), the checks in {@link Settings}, the
 * property names in {@link InstanceConfig}, and for people, the README's
 * property table and the example configuration file.
 */
class MetatypeTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path METATYPE = MODULE.resolve("target/classes/OSGI-INF/metatype/tailsrv.xml");
    private static final Path README = MODULE.resolve("../../README.md");
    private static final Path EXAMPLE = MODULE.resolve("../../runtime/src/main/dist/etc/tailsrv-example.cfg.sample");

    /** The attribute definitions, by id, each as its XML attributes. */
    private static Map<String, Map<String, String>> definitions;

    /**
     * Reads the {@code <AD .../>} elements. bnd writes each on one line,
     * attributes double-quoted; the test compiles as part of the bundle's
     * module, which reads no XML parser.
     */
    @BeforeAll
    static void readMetatype() throws IOException {
        definitions = new LinkedHashMap<>();
        Matcher ad = Pattern.compile("<AD ([^>]*?)/?>").matcher(Files.readString(METATYPE)); // some hold Options
        while (ad.find()) {
            Map<String, String> attributes = new HashMap<>();
            Matcher attribute = Pattern.compile("([\\w:]+)=\"([^\"]*)\"").matcher(ad.group(1));
            while (attribute.find()) {
                attributes.put(attribute.group(1), attribute.group(2));
            }
            // a default is a comma-separated list, whose values escape commas and spaces with a backslash
            attributes.computeIfPresent("default", (name, value) -> value.replaceAll("\\\\(.)", "$1"));
            definitions.put(attributes.get("id"), attributes);
        }
        assertFalse(definitions.isEmpty(), "no attribute definitions in " + METATYPE);
    }

    @Test
    void theMetatypeDefinesExactlyThePropertiesTheApiNames() throws Exception {
        TreeSet<String> named = new TreeSet<>();
        for (Field field : InstanceConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !field.getName().equals("FACTORY_PID")) {
                named.add((String) field.get(null));
            }
        }
        assertEquals(named, new TreeSet<>(definitions.keySet()));
    }

    @Test
    void everyDefaultIsWhatSettingsAssumesWhenThePropertyIsAbsent() throws Exception {
        Settings absent = Settings.from(minimal());
        for (Map.Entry<String, Map<String, String>> ad : definitions.entrySet()) {
            String value = ad.getValue().get("default");
            if (value == null) {
                assertFalse("false".equals(ad.getValue().get("required")),
                        ad.getKey() + " is optional, so it needs a default");
                continue;
            }
            Settings given = Settings.from(with(ad.getKey(), value));
            assertEquals(absent, given, ad.getKey() + " = " + value + " (the metatype's default) changes nothing");
        }
    }

    @Test
    void theMetatypeLimitsAreExactlyTheLimitsSettingsChecks() {
        int limits = 0;
        for (Map.Entry<String, Map<String, String>> ad : definitions.entrySet()) {
            String property = ad.getKey();
            boolean decimal = "Double".equals(ad.getValue().get("type"));
            BigDecimal step = decimal ? new BigDecimal("0.0001") : BigDecimal.ONE;
            String min = ad.getValue().get("min");
            if (min != null) {
                limits++;
                assertDoesNotThrow(() -> Settings.from(with(property, min)), property + " = " + min + " (min)");
                String below = new BigDecimal(min).subtract(step).toPlainString();
                assertRefused(property, below);
            }
            String max = ad.getValue().get("max");
            if (max != null) {
                limits++;
                assertDoesNotThrow(() -> Settings.from(with(property, max)), property + " = " + max + " (max)");
                assertRefused(property, new BigDecimal(max).add(step).toPlainString());
            }
        }
        assertTrue(limits >= 5, "port, header.timeout, max.clients and max.pending have limits: " + limits);
    }

    @Test
    void theReadmeTableListsEveryPropertyWithItsDefault() throws IOException {
        Map<String, String> table = readmeTable();
        assertEquals(new TreeSet<>(definitions.keySet()), new TreeSet<>(table.keySet()),
                "the README's configuration table and the metatype name the same properties");
        for (Map.Entry<String, String> row : table.entrySet()) {
            Map<String, String> ad = definitions.get(row.getKey());
            String cell = row.getValue();
            if (!"false".equals(ad.get("required"))) {
                assertEquals("required", cell, row.getKey() + " is required");
                continue;
            }
            Matcher code = Pattern.compile("`([^`]*)`").matcher(cell);
            if (code.find()) {
                assertEquals(normalize(ad.get("default")), normalize(code.group(1)), row.getKey() + "'s default");
            } else {
                assertEquals("", ad.get("default"), row.getKey() + ": a default in words stands for an empty one");
            }
        }
    }

    @Test
    void theExampleConfigurationNamesOnlyRealPropertiesAndIsValid() throws IOException {
        Map<String, String> set = new LinkedHashMap<>();
        int shown = 0;
        for (String line : Files.readAllLines(EXAMPLE)) {
            Matcher property = Pattern.compile("^(#?)([a-z.]+) = (.*)$").matcher(line);
            if (!property.matches()) {
                continue;
            }
            shown++;
            assertTrue(definitions.containsKey(property.group(2)), property.group(2) + " is not a property");
            if (property.group(1).isEmpty()) {
                set.put(property.group(2), property.group(3));
            }
        }
        assertEquals(definitions.size(), shown, "the example shows every property");
        assertDoesNotThrow(() -> Settings.from(set));
    }

    private static Map<String, String> readmeTable() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("### Configuration");
        assertTrue(start >= 0, "the README has a Configuration section");
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : readme.substring(start).split("\n")) {
            Matcher row = Pattern.compile("^\\| `([a-z.]+)` \\| [^|]* \\| ([^|]*) \\|").matcher(line);
            if (row.find()) {
                rows.put(row.group(1), row.group(2).strip());
            } else if (!rows.isEmpty() && !line.startsWith("|")) {
                break; // the end of the table
            }
        }
        return rows;
    }

    private static String normalize(String value) {
        try {
            return new BigDecimal(value).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return value;
        }
    }

    private static void assertRefused(String property, String value) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> Settings.from(with(property, value)), property + " = " + value + " is out of range");
        assertEquals(property, e.property());
    }

    private static Map<String, Object> minimal() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(InstanceConfig.FILE, "/var/log/app.log");
        properties.put(InstanceConfig.PORT, "4321");
        return properties;
    }

    private static Map<String, Object> with(String property, String value) {
        Map<String, Object> properties = minimal();
        properties.put(property, value);
        return properties;
    }
}
