package io.tailsrv.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files busy appends to, and where their servers listen: from
 * {@code HOST:PORT=FILE} arguments, or from a host-mode configuration
 * directory, read as tailsrv's FileInstall reads it.
 */
final class ServedFiles {

    /** The files FileInstall turns into instances in host mode: the factory PID, a dash, the name. */
    private static final Pattern CONFIG_FILE = Pattern.compile("tailsrv-.*\\.cfg");
    /**
     * A value in FileInstall's typed form ({@code port = I"4321"}, {@code file = "/x"}), or an
     * array or collection of them. FileInstall reads a file's values so only when all are typed.
     */
    private static final Pattern TYPED = Pattern.compile("[TILFDXSCBtilfdxscb]?(\"(.*)\"|\\[.*]|\\(.*\\))",
            Pattern.DOTALL);

    private ServedFiles() {
    }

    /**
     * The pairs, or the directory's instances (exactly one of the two given);
     * every file served once, and a file this user can append to.
     */
    static List<ServedFile> of(List<String> pairs, Optional<Path> configDir) throws UsageException {
        if (configDir.isPresent() && !pairs.isEmpty()) {
            throw new UsageException("give --config-dir or HOST:PORT=FILE pairs, not both");
        }
        if (configDir.isEmpty() && pairs.isEmpty()) {
            throw new UsageException("missing --config-dir DIR or HOST:PORT=FILE");
        }
        List<ServedFile> served = configDir.isPresent() ? fromConfigDir(configDir.get()) : fromPairs(pairs);
        Map<Path, ServedFile> seen = new HashMap<>();
        for (ServedFile one : served) {
            if (!Files.isRegularFile(one.file()) || !Files.isWritable(one.file())) {
                throw new UsageException(one.origin() + ": " + one.file() + " is not a file this user can append to"
                        + " (the bench appends to every file, so they must be on this machine)");
            }
            ServedFile before = seen.put(canonical(one.file()), one);
            if (before != null) {
                // its records would interleave in one sequence and look out of order
                throw new UsageException(one.file() + " is served twice (" + before.origin() + ", " + one.origin()
                        + "): busy measures each file once");
            }
        }
        return served;
    }

    /** {@code HOST:PORT=FILE}, or {@code PORT=FILE} for 127.0.0.1; a host has no '=', so the first one splits. */
    static List<ServedFile> fromPairs(List<String> pairs) throws UsageException {
        List<ServedFile> served = new ArrayList<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals < 0 || equals == pair.length() - 1) {
                throw new UsageException("not HOST:PORT=FILE: " + pair);
            }
            served.add(new ServedFile(Target.parse(pair.substring(0, equals)), Path.of(pair.substring(equals + 1)),
                    pair));
        }
        return served;
    }

    /** Every enabled instance of a host-mode configuration directory, in the order of the files' names. */
    static List<ServedFile> fromConfigDir(Path dir) throws UsageException {
        List<Path> configs;
        try (Stream<Path> files = Files.list(dir)) {
            configs = files.filter(file -> CONFIG_FILE.matcher(file.getFileName().toString()).matches())
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (NoSuchFileException e) {
            throw new UsageException("--config-dir " + dir + ": no such directory");
        } catch (NotDirectoryException e) {
            throw new UsageException("--config-dir " + dir + ": not a directory");
        } catch (IOException e) {
            throw new UsageException("--config-dir " + dir + ": " + e);
        }
        List<ServedFile> served = new ArrayList<>();
        for (Path config : configs) {
            Map<String, String> values = read(config);
            String origin = config.getFileName().toString();
            if (!value(values, "enabled", origin).orElse("").toLowerCase(Locale.ROOT).equals("false")) {
                served.add(served(values, origin));
            }
        }
        if (served.isEmpty()) {
            throw new UsageException("--config-dir " + dir + ": no enabled instance (tailsrv-NAME.cfg) in it");
        }
        return served;
    }

    private static ServedFile served(Map<String, String> values, String origin) throws UsageException {
        Path file = Path.of(value(values, "file", origin)
                .orElseThrow(() -> new UsageException(origin + ": no file = PATH")));
        if (!file.isAbsolute()) {
            throw new UsageException(origin + ": file = " + file + " is relative to the server's working directory,"
                    + " which the bench cannot know; give HOST:PORT=FILE pairs instead");
        }
        String port = value(values, "port", origin).orElseThrow(() -> new UsageException(origin + ": no port = N"));
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new UsageException(origin + ": port = " + port + " is not a port from 1 to 65535");
        }
        return new ServedFile(new Target(host(value(values, "bind", origin).orElse("")), Integer.parseInt(port)),
                file, origin);
    }

    /** Where to connect to an instance that binds {@code bind}: loopback for every interface. */
    private static String host(String bind) {
        String host = bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind;
        return switch (host) {
            case "", "*", "0.0.0.0" -> Target.LOOPBACK;
            case "::", "0:0:0:0:0:0:0:0" -> "::1";
            default -> host;
        };
    }

    /** A property, stripped as tailsrv strips it; empty when absent or blank. */
    private static Optional<String> value(Map<String, String> values, String key, String origin)
            throws UsageException {
        String value = values.get(key);
        if (value != null && value.contains("${")) {
            throw new UsageException(origin + ": " + key + " = " + value + " needs FileInstall's ${...}"
                    + " substitution, which the bench does not do; give HOST:PORT=FILE pairs instead");
        }
        return Optional.ofNullable(value).map(String::strip).filter(text -> !text.isEmpty());
    }

    /**
     * The file's properties: java.util.Properties has FileInstall's syntax
     * and, as FileInstall by default, reads ISO-8859-1. Typed values are
     * unwrapped when every value is typed, as FileInstall does.
     */
    private static Map<String, String> read(Path config) throws UsageException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException(config + ": cannot read it: " + e.getMessage());
        }
        boolean typed = !properties.isEmpty()
                && properties.values().stream().allMatch(value -> TYPED.matcher((String) value).matches());
        Map<String, String> values = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key);
            Matcher scalar = TYPED.matcher(value);
            values.put(key, typed && scalar.matches() && scalar.group(2) != null ? scalar.group(2) : value);
        }
        return values;
    }

    private static Path canonical(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }
}
