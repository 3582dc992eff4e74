package io.tailsrv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code tailsrv-bench}: measures a running tailsrv (or any server of its
 * offset protocol) from the client side, with nothing but the JDK.
 */
public final class Main {

    static final String USAGE = """
            usage: tailsrv-bench SUBCOMMAND HOST:PORT [OPTIONS]
                   tailsrv-bench busy (--config-dir DIR | HOST:PORT=FILE ...) [OPTIONS]

            Measures a running tailsrv from the client side. HOST:PORT may be PORT
            alone, meaning 127.0.0.1.

              catchup  clients read the file from offset 0 as fast as they can
              fanout   the same with 100 clients
              latency  from append to delivery, of records the bench appends to --file
              idle     clients waiting at the end of the file; with --pid, their cost
              all      a short run of each of the above, one report
              busy     many files at once: records appended to each, clients on each

            tailsrv-bench SUBCOMMAND -h says more. Exit status: 0 measured; 1 the
            measurement failed (no connection, a client closed or stalled, records
            missing, unexpected bytes); 2 bad usage.
            """;

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    /** Runs a command line; returns the exit status. */
    static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0) {
            err.print(USAGE);
            return 2;
        }
        if (argv[0].equals("-h") || argv[0].equals("--help")) {
            out.print(USAGE);
            return 0;
        }
        Optional<Command> named = Command.named(argv[0]);
        if (named.isEmpty()) {
            err.println("tailsrv-bench: unknown subcommand " + argv[0]);
            err.print(USAGE);
            return 2;
        }
        Command command = named.get();
        String prefix = "tailsrv-bench " + command.name + ": ";
        try {
            Args args = Args.parse(Arrays.asList(argv).subList(1, argv.length), command.options);
            if (args.helpRequested()) {
                out.print(command.usage);
                return 0;
            }
            command.run(args, out);
            return 0;
        } catch (UsageException e) {
            err.println(prefix + e.getMessage());
            err.print(command.usage);
            return 2;
        } catch (BenchFailure e) {
            err.println(prefix + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println(prefix + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(prefix + "interrupted");
            return 1;
        }
    }
}
