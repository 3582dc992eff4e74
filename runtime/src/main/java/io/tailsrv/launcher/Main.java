package io.tailsrv.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.tailsrv.launcher.logging.Logging;

/** {@code bin/tailsrv}: the command line. */
@Command(
        name = "tailsrv",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = {
            "tailsrv -p PORT [--bind ADDR] [--linger-after-file-is-gone] [--journald] FILE",
            "tailsrv --config-dir DIR [--console] [--journald]"
        },
        description = {
            "Streams FILE to every client that connects to PORT, like tail -f as a server.",
            "A client sends a byte offset and a newline (negative counts back from the end)",
            "and receives the file from there, then every byte appended later.",
            "With --config-dir, serves every tailsrv-NAME.cfg in DIR, each file on its port,",
            "and follows changes to DIR while it runs."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:FILE was deleted or moved (without --linger-after-file-is-gone), or the console was left",
            "1:the server could not start or serve (port in use, FILE a directory, ...)",
            "2:bad command line"
        })
public final class Main implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "TCP port to listen on (1-65535).")
    private Integer port;

    @Option(names = "--bind", paramLabel = "ADDR",
            description = "Address to listen on (default: every interface, IPv4 and IPv6).")
    private String bind;

    @Option(names = "--linger-after-file-is-gone",
            description = "Keep serving the open file after it is deleted or moved, instead of exiting.")
    private boolean linger;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The file to serve; it need not exist yet.")
    private Path file;

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Serve every tailsrv-NAME.cfg in DIR (host mode); changes apply while running.")
    private Path configDir;

    @Option(names = "--console",
            description = "With --config-dir: the Gogo console (tailsrv:list, ...) on the terminal or piped stdin.")
    private boolean console;

    @Option(names = "--journald",
            description = "Log to the systemd journal, with structured fields (TAILSRV_INSTANCE, ...), not to stderr.")
    private boolean journald;

    public static void main(String[] args) {
        CompilerPriority.lowerInBackground();
        CommandLine commandLine = new CommandLine(new Main());
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (journald) {
            Logging.sendToJournal();
        }
        if (configDir != null) {
            return hostMode();
        }
        if (console) {
            throw new ParameterException(spec.commandLine(), "--console needs --config-dir");
        }
        if (port == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '-p PORT'");
        }
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "PORT must be from 1 to 65535, not " + port);
        }
        if (file == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'FILE'");
        }
        return new SingleFile(Distribution.home(), file.toAbsolutePath().normalize(), port, bind, linger).run();
    }

    private int hostMode() throws Exception {
        if (port != null || file != null || bind != null || linger) {
            throw new ParameterException(spec.commandLine(),
                    "--config-dir takes its ports and files from DIR: no -p, --bind, --linger-after-file-is-gone or FILE");
        }
        if (!Files.isDirectory(configDir)) {
            throw new ParameterException(spec.commandLine(), "--config-dir " + configDir + ": no such directory");
        }
        return new HostMode(Distribution.home(), configDir.toAbsolutePath().normalize(), console).run();
    }

    /** The version in the launcher jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tailsrv " + (version == null ? "(development build)" : version)};
        }
    }
}
