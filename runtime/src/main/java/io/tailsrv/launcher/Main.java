package io.tailsrv.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.launcher.logging.Logging;

/** {@code bin/tailsrv}: the command line. */
@Command(
        name = "tailsrv",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = {
            "tailsrv -p PORT [--bind ADDR] [--linger-after-file-is-gone] [--journald]",
            "        [--tls-cert PEM --tls-key PEM [--tls MODE] [--tls-client-ca PEM [--tls-client-allow NAMES]]]",
            "        [--upstream HOST:PORT[,HOST:PORT...] [--upstream-tls-ca PEM] [--upstream-tls-cert PEM --upstream-tls-key PEM]]",
            "        [--jmx HOST:PORT] [--metrics HOST:PORT]",
            "        FILE",
            "tailsrv --config-dir DIR [--console] [--journald] [--jmx HOST:PORT] [--metrics HOST:PORT]"
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

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "TLS: the server's certificate chain, a PEM file (as Let's Encrypt issues fullchain.pem).")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM",
            description = "TLS: the certificate's private key, a PEM file (PKCS#8, PKCS#1 or SEC1; RSA or EC).")
    private Path tlsKey;

    @Option(names = "--tls", paramLabel = "MODE",
            description = "off, optional (plain and TLS clients on one port) or required; default: required with"
                    + " --tls-cert, else off.")
    private String tls;

    @Option(names = "--tls-client-ca", paramLabel = "PEM",
            description = "Mutual TLS: clients must present a certificate one of these CAs (a PEM file) signed.")
    private Path tlsClientCa;

    @Option(names = "--tls-client-allow", paramLabel = "NAMES",
            description = "With --tls-client-ca: only these client identities (CN or DNS/URI names, exact or"
                    + " *.example.com), separated by commas.")
    private String tlsClientAllow;

    @Option(names = "--upstream", paramLabel = "HOST:PORT",
            description = "Relay: follow the tailsrv at HOST:PORT (several, separated by commas, for failover) and"
                    + " append what it sends to FILE, which this one serves.")
    private String upstream;

    @Option(names = "--upstream-tls-ca", paramLabel = "PEM",
            description = "Relay over TLS: the CAs (a PEM file) the upstream's certificate must chain to.")
    private Path upstreamTlsCa;

    @Option(names = "--upstream-tls-cert", paramLabel = "PEM",
            description = "Relay over mutual TLS: the relay's certificate chain (PEM).")
    private Path upstreamTlsCert;

    @Option(names = "--upstream-tls-key", paramLabel = "PEM", description = "Its private key (PEM).")
    private Path upstreamTlsKey;

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Serve every tailsrv-NAME.cfg in DIR (host mode); changes apply while running.")
    private Path configDir;

    @Option(names = "--console",
            description = "With --config-dir: the Gogo console (tailsrv:list, ...) on the terminal or piped stdin.")
    private boolean console;

    @Option(names = "--journald",
            description = "Log to the systemd journal, with structured fields (TAILSRV_INSTANCE, ...), not to stderr.")
    private boolean journald;

    @Option(names = "--jmx", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
            description = "JMX over RMI on HOST:PORT only (jconsole HOST:PORT): an MXBean per instance,"
                    + " io.tailsrv:type=Instance,name=NAME. No authentication: use a loopback address.")
    private HostPort jmx;

    @Option(names = "--metrics", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
            description = "Serve GET /metrics on HOST:PORT, in the Prometheus text format.")
    private HostPort metrics;

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
        Path served = file.toAbsolutePath().normalize();
        return new SingleFile(Distribution.home(), served, instanceProperties(served), new Monitoring(jmx, metrics)).run();
    }

    /** The command line as the properties of the instance's configuration. */
    private Hashtable<String, Object> instanceProperties(Path served) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(InstanceConfig.FILE, served.toString());
        properties.put(InstanceConfig.PORT, port);
        properties.put(InstanceConfig.LINGER, linger);
        putIfGiven(properties, InstanceConfig.BIND, bind);
        putIfGiven(properties, InstanceConfig.TLS, tls);
        putIfGiven(properties, InstanceConfig.TLS_CERT, tlsCert);
        putIfGiven(properties, InstanceConfig.TLS_KEY, tlsKey);
        putIfGiven(properties, InstanceConfig.TLS_CLIENT_CA, tlsClientCa);
        putIfGiven(properties, InstanceConfig.TLS_CLIENT_ALLOW, tlsClientAllow);
        putIfGiven(properties, InstanceConfig.UPSTREAM, upstream);
        putIfGiven(properties, InstanceConfig.UPSTREAM_TLS_CA, upstreamTlsCa);
        putIfGiven(properties, InstanceConfig.UPSTREAM_TLS_CERT, upstreamTlsCert);
        putIfGiven(properties, InstanceConfig.UPSTREAM_TLS_KEY, upstreamTlsKey);
        return properties;
    }

    private static void putIfGiven(Hashtable<String, Object> properties, String name, Object value) {
        if (value != null) {
            properties.put(name, value instanceof Path path ? path.toAbsolutePath().normalize().toString() : value);
        }
    }

    private int hostMode() throws Exception {
        if (port != null || file != null || bind != null || linger || tls != null || tlsCert != null || tlsKey != null
                || tlsClientCa != null || tlsClientAllow != null || upstream != null || upstreamTlsCa != null
                || upstreamTlsCert != null || upstreamTlsKey != null) {
            throw new ParameterException(spec.commandLine(), "--config-dir takes its ports, files, TLS and upstream"
                    + " settings from DIR: no -p, --bind, --linger-after-file-is-gone, --tls*, --upstream* or FILE");
        }
        if (!Files.isDirectory(configDir)) {
            throw new ParameterException(spec.commandLine(), "--config-dir " + configDir + ": no such directory");
        }
        return new HostMode(Distribution.home(), configDir.toAbsolutePath().normalize(), console,
                new Monitoring(jmx, metrics)).run();
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
