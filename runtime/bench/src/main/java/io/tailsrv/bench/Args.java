package io.tailsrv.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLContext;

/**
 * One subcommand's command line: the HOST:PORT and {@code --name value} (or
 * {@code --name=value}) options, every one of which takes a value but the
 * flags ({@code --tls}). Parsed by hand, as the bench depends on nothing but
 * the JDK.
 */
final class Args {

    /** Options that take no value. */
    static final Set<String> FLAGS = Set.of("--tls");

    private final Map<String, String> values = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();
    private boolean help;

    private Args() {
    }

    /** Parses {@code argv} (what follows the subcommand), accepting only the {@code options} named. */
    static Args parse(List<String> argv, Set<String> options) throws UsageException {
        Args args = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                args.help = true;
            } else if (arg.startsWith("-") && !arg.equals("-")) {
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg : arg.substring(0, equals);
                if (!options.contains(name)) {
                    throw new UsageException("unknown option " + name);
                }
                String value;
                if (FLAGS.contains(name)) {
                    if (equals >= 0) {
                        throw new UsageException(name + " takes no value");
                    }
                    value = "true";
                } else if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < argv.size()) {
                    value = argv.get(++i);
                } else {
                    throw new UsageException(name + " needs a value");
                }
                if (args.values.put(name, value) != null) {
                    throw new UsageException(name + " given twice");
                }
            } else {
                args.positionals.add(arg);
            }
        }
        return args;
    }

    boolean helpRequested() {
        return help;
    }

    /** The one positional argument, the server; spoken to over TLS with {@code --tls}. */
    Target target() throws UsageException, IOException, BenchFailure {
        if (positionals.isEmpty()) {
            throw new UsageException("missing HOST:PORT");
        }
        if (positionals.size() > 1) {
            throw new UsageException("unexpected argument " + positionals.get(1));
        }
        return Target.parse(positionals.get(0)).overTls(tls());
    }

    /**
     * With {@code --tls}, the context clients speak TLS with, trusting the
     * CAs of {@code --tls-ca} or else the JDK's; null without.
     */
    SSLContext tls() throws UsageException, IOException, BenchFailure {
        if (!values.containsKey("--tls")) {
            if (values.containsKey("--tls-ca")) {
                throw new UsageException("--tls-ca is for --tls");
            }
            return null;
        }
        return TlsSession.context(path("--tls-ca"));
    }

    /** Every positional argument, in order: busy's {@code HOST:PORT=FILE} pairs. */
    List<String> positionals() {
        return List.copyOf(positionals);
    }

    /** A whole number of at least {@code min}, or {@code absent} when the option is not given. */
    long number(String option, long absent, long min) throws UsageException {
        String value = values.get(option);
        if (value == null) {
            return absent;
        }
        long number = parseNumber(option, value, 1, value);
        if (number < min) {
            throw new UsageException(option + " must be at least " + min + ": " + value);
        }
        return number;
    }

    /** As {@link #number}, for counts that size arrays. */
    int count(String option, int absent, int min) throws UsageException {
        long count = number(option, absent, min);
        if (count > Integer.MAX_VALUE) {
            throw new UsageException(option + " is too large: " + count);
        }
        return (int) count;
    }

    /** A byte count of at least 1, with an optional binary suffix: {@code 64M} is 64 MiB; 0 when absent. */
    long bytes(String option) throws UsageException {
        String value = values.get(option);
        if (value == null) {
            return 0;
        }
        char last = value.isEmpty() ? '0' : Character.toUpperCase(value.charAt(value.length() - 1));
        long unit = switch (last) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? value : value.substring(0, value.length() - 1);
        long bytes = parseNumber(option, digits, unit, value);
        if (bytes < 1) {
            throw new UsageException(option + " must be at least 1: " + value);
        }
        return bytes;
    }

    Optional<Path> path(String option) {
        return Optional.ofNullable(values.get(option)).map(Path::of);
    }

    Path requiredPath(String option) throws UsageException {
        return path(option).orElseThrow(() -> new UsageException("missing " + option + " PATH"));
    }

    private static long parseNumber(String option, String digits, long unit, String value) throws UsageException {
        if (!digits.matches("[0-9]+")) {
            throw new UsageException(option + " takes a whole number: " + value);
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException(option + " is too large: " + value);
        }
    }
}
