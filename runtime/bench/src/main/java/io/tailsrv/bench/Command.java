package io.tailsrv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import javax.net.ssl.SSLContext;

/** The subcommands: the options each accepts, its usage, and how it runs. */
enum Command {

    CATCHUP("catchup", tls("--clients", "--bytes", "--quiet-ms"), """
            usage: tailsrv-bench catchup HOST:PORT [--clients N] [--bytes B] [--quiet-ms MS] [--tls [--tls-ca PEM]]

            N clients (default 1) ask for offset 0 and read as fast as they can, each
            until it has B bytes (64M, 1G: binary suffixes), or, without --bytes, until
            nothing arrives for MS milliseconds (default 500): the end of the file (on a
            file that keeps growing, give --bytes, as that end never comes).
            Reports the bytes each client received, the seconds from the first request
            (all clients connect first) to the last byte, and the total rate; with
            several clients, the median and the slowest of each one's own rate.
            """) {
        @Override
        void run(Args args, PrintStream out) throws UsageException, BenchFailure, IOException, InterruptedException {
            out.println(Report.catchUp(name, catchUp(args, 1).run()));
        }
    },

    FANOUT("fanout", CATCHUP.options, """
            usage: tailsrv-bench fanout HOST:PORT [--clients N] [--bytes B] [--quiet-ms MS] [--tls [--tls-ca PEM]]

            catchup with 100 clients by default: how the server shares its throughput.
            Each client reads the whole file (or B bytes), so mind the file's size.
            """) {
        @Override
        void run(Args args, PrintStream out) throws UsageException, BenchFailure, IOException, InterruptedException {
            out.println(Report.catchUp(name, catchUp(args, 100).run()));
        }
    },

    LATENCY("latency", tls("--file", "--clients", "--records", "--interval-us"), """
            usage: tailsrv-bench latency HOST:PORT --file PATH [--clients N] [--records R] [--interval-us I] [--tls ...]

            APPENDS to PATH, the file the server serves, which must be on this machine:
            use a scratch file, not a live log (another writer's bytes fail the run).
            N clients (default 1) connect at the file's end; after a 200 ms settle a
            writer appends R records (default 2000), one every I microseconds (default
            500), each 31 bytes holding its write time. Reports percentiles of the time
            from each append to its arrival at each client (R x N samples), in us.
            Fails if a client is closed, or receives nothing for 10 s.
            """) {
        @Override
        void run(Args args, PrintStream out) throws UsageException, BenchFailure, IOException, InterruptedException {
            Latency latency = new Latency(args.target(), existingFile(args), args.count("--clients", 1, 1),
                    args.count("--records", 2000, 1), args.number("--interval-us", 500, 0));
            out.println(Report.latency(latency.run()));
        }
    },

    IDLE("idle", tls("--clients", "--seconds", "--pid"), """
            usage: tailsrv-bench idle HOST:PORT [--clients N] [--seconds S] [--pid PID] [--tls [--tls-ca PEM]]

            N clients (default 1000) ask for the file's last byte (-1) and then wait,
            caught up, for S seconds (default 10). Reports how many were still
            connected at the end; fails if any was closed. With the server's PID (the
            server on this machine): its CPU time during the wait, and its resident
            memory and thread count at the end, from /proc.
            """) {
        @Override
        void run(Args args, PrintStream out) throws UsageException, BenchFailure, IOException, InterruptedException {
            Idle.Result result = new Idle(args.target(), args.count("--clients", 1000, 1),
                    args.count("--seconds", 10, 1), pid(args)).run();
            out.println(Report.idle(result));
            requireAllConnected(result);
        }
    },

    BUSY("busy", tls("--config-dir", "--clients", "--rate", "--seconds", "--warmup", "--pid"), """
            usage: tailsrv-bench busy --config-dir DIR [--clients N] [--rate R] [--seconds S] [--warmup W] [--pid PID] [--tls ...]
                   tailsrv-bench busy HOST:PORT=FILE [HOST:PORT=FILE ...] [the same options]

            Many growing files at once, as a host serving many logs. The files are those
            of every enabled tailsrv-NAME.cfg in a host-mode configuration directory (its
            file, port and bind), or the FILEs given, each served at HOST:PORT (PORT alone
            means 127.0.0.1). APPENDS to every file, so they must be on this machine: use
            scratch files, not live logs (another writer's bytes fail the run).
            N clients per file (default 5) ask for its current size; one writer appends
            R records a second (default 20) to every file, spread evenly over files and
            time, for W seconds of warm-up (default 2, not counted), then S seconds
            (default 5). Each record is 32 bytes: its write time and its number.
            Reports the counted records (over all files) and their deliveries (at every
            client), percentiles of append-to-arrival time in us, records out of order
            and missing, the writer's achieved rate per file, the window (first counted
            append to last delivery) and the reading thread's CPU time in it; with the
            server's PID, its CPU time in the window, its memory and threads. Fails if a
            client is closed, a record is missing or out of order, or bytes are not records.
            """) {
        @Override
        void run(Args args, PrintStream out) throws UsageException, BenchFailure, IOException, InterruptedException {
            SSLContext tls = args.tls();
            List<ServedFile> served = ServedFiles.of(args.positionals(), args.path("--config-dir")).stream()
                    .map(file -> new ServedFile(file.endpoint().overTls(tls), file.file(), file.origin())).toList();
            Busy busy = new Busy(served, args.count("--clients", 5, 1), args.count("--rate", 20, 1),
                    args.count("--seconds", 5, 1), args.count("--warmup", 2, 0), pid(args));
            Busy.Result result = busy.run();
            out.println(Report.busy(result));
            Report.busyWarnings(result).forEach(out::println);
            if (result.missing() > 0 || result.outOfOrder() > 0) {
                throw new BenchFailure(result.missing() + " records missing and " + result.outOfOrder()
                        + " out of order, over every client");
            }
        }
    },

    ALL("all", tls("--file", "--pid"), """
            usage: tailsrv-bench all HOST:PORT --file PATH [--pid PID] [--tls [--tls-ca PEM]]

            A short run of each, one report, in about 10 seconds: catchup (1 client, at
            most 1 GiB of the file), fanout (100 clients, at most 64 MiB each), latency
            (1 client, then 100; 1000 records 500 us apart, APPENDED to PATH: see
            latency -h), idle (1000 clients for 5 s; with --pid, the server's cost).
            """) {
        @Override
        void run(Args args, PrintStream out) throws UsageException, BenchFailure, IOException, InterruptedException {
            Target target = args.target();
            Path file = existingFile(args);
            OptionalLong pid = pid(args);
            long size = Files.size(file);
            out.println(String.format("tailsrv-bench  target=%s  file=%s (%d bytes)  processors=%d", target, file,
                    size, Runtime.getRuntime().availableProcessors()));
            if (size == 0) {
                out.println(Report.skipped("catchup", file + " is empty"));
                out.println(Report.skipped("fanout", file + " is empty"));
            } else {
                out.println(Report.catchUp("catchup", new CatchUp(target, 1, Math.min(size, 1L << 30), 0).run()));
                out.println(Report.catchUp("fanout", new CatchUp(target, 100, Math.min(size, 64L << 20), 0).run()));
            }
            out.println(Report.latency(new Latency(target, file, 1, 1000, 500).run()));
            out.println(Report.latency(new Latency(target, file, 100, 1000, 500).run()));
            Idle.Result idle = new Idle(target, 1000, 5, pid).run();
            out.println(Report.idle(idle));
            requireAllConnected(idle);
        }
    };

    final String name;
    final Set<String> options;
    final String usage;

    Command(String name, Set<String> options, String usage) {
        this.name = name;
        this.options = options;
        this.usage = usage;
    }

    /** Measures and prints the report; throws {@link UsageException} for a bad argument. */
    abstract void run(Args args, PrintStream out) throws UsageException, BenchFailure, IOException, InterruptedException;

    static Optional<Command> named(String name) {
        return Arrays.stream(values()).filter(command -> command.name.equals(name)).findFirst();
    }

    /**
     * {@code options} and TLS's: {@code --tls} makes every client speak TLS
     * (the handshake comes before any clock starts), verifying the server
     * against {@code --tls-ca}'s CAs, or the JDK's, and its name as HTTPS does.
     */
    private static Set<String> tls(String... options) {
        Set<String> all = new HashSet<>(Set.of(options));
        all.add("--tls");
        all.add("--tls-ca");
        return Set.copyOf(all);
    }

    private static CatchUp catchUp(Args args, int defaultClients) throws UsageException, IOException, BenchFailure {
        return new CatchUp(args.target(), args.count("--clients", defaultClients, 1), args.bytes("--bytes"),
                args.count("--quiet-ms", CatchUp.DEFAULT_QUIET_MILLIS, 1));
    }

    private static Path existingFile(Args args) throws UsageException {
        Path file = args.requiredPath("--file");
        if (!Files.isRegularFile(file) || !Files.isWritable(file)) {
            throw new UsageException("--file " + file + ": not a file this user can append to");
        }
        return file;
    }

    private static OptionalLong pid(Args args) throws UsageException {
        long pid = args.number("--pid", 0, 1);
        if (pid == 0) {
            return OptionalLong.empty();
        }
        if (!ProcStat.exists(pid)) {
            throw new UsageException("--pid " + pid + ": no such process on this machine");
        }
        return OptionalLong.of(pid);
    }

    private static void requireAllConnected(Idle.Result result) throws BenchFailure {
        if (result.connected() < result.clients()) {
            throw new BenchFailure("the server closed " + (result.clients() - result.connected()) + " of "
                    + result.clients() + " idle clients");
        }
    }
}
