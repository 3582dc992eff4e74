package io.tailsrv.shell.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.tailsrv.api.InstanceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tailsrv:add [--name N] [--bind ADDR] PORT FILE}: a new instance. In
 * host mode with a config directory it becomes a {@code tailsrv-NAME.cfg}
 * file there, so that it outlives the process as every other instance does;
 * otherwise a Config Admin configuration.
 */
@Component(service = AddCommand.class, property = {Cli.SCOPE, Cli.FUNCTION + "add"})
public final class AddCommand {

    /** Framework property: the directory FileInstall watches, set in host mode with {@code --config-dir}. */
    static final String CONFIG_DIR = "tailsrv.config.dir";

    /** What a name may hold: it becomes part of a file name and of a PID. */
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern OUTSIDE_DEFAULT_NAME = Pattern.compile("[^A-Za-z0-9._]");

    @Command(name = "tailsrv:add", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Adds an instance serving FILE on PORT.",
                "With a config directory it is written there as tailsrv-NAME.cfg; otherwise it is a Config Admin"
                        + " configuration."})
    static final class Options {

        @Spec
        CommandSpec spec;

        String name;
        int port;
        Path file;

        @Option(names = "--bind", paramLabel = "ADDR", description = "the address to listen on (default: all)")
        String bind;

        @Option(names = "--name", paramLabel = "NAME",
                description = "the instance's name (default: FILE's name, with _ for every character"
                        + " other than A-Z a-z 0-9 . _)")
        void name(String value) {
            if (!VALID_NAME.matcher(value).matches()) {
                throw new ParameterException(spec.commandLine(),
                        "NAME '" + value + "' may hold only A-Z a-z 0-9 . _ -");
            }
            name = value;
        }

        @Parameters(index = "0", paramLabel = "PORT", description = "the TCP port, 1-65535")
        void port(int value) {
            if (value < 1 || value > 65535) {
                throw new ParameterException(spec.commandLine(), "PORT " + value + " is out of range (1-65535)");
            }
            port = value;
        }

        @Parameters(index = "1", paramLabel = "FILE", description = "the file to serve; it need not exist yet")
        void file(String value) {
            try {
                file = Path.of(value).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw new ParameterException(spec.commandLine(), "FILE '" + value + "' is not a valid path");
            }
            if (file.getFileName() == null) {
                throw new ParameterException(spec.commandLine(), "FILE '" + value + "' names no file");
            }
        }

        String name() {
            return name != null ? name : defaultName(file);
        }

        /** The new configuration, as Config Admin holds it (a .cfg file holds the text of each value). */
        Map<String, Object> configuration() {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put(InstanceConfig.FILE, file.toString());
            properties.put(InstanceConfig.PORT, port);
            if (bind != null) {
                properties.put(InstanceConfig.BIND, bind);
            }
            return properties;
        }

        String endpoint() {
            if (bind == null) {
                return "*:" + port;
            }
            boolean bareIpv6 = bind.indexOf(':') >= 0 && !bind.startsWith("[");
            return (bareIpv6 ? "[" + bind + "]" : bind) + ":" + port;
        }
    }

    private final BundleContext context;
    private final ConfigurationAdmin admin;

    @Activate
    public AddCommand(BundleContext context, @Reference(name = "configurationAdmin") ConfigurationAdmin admin) {
        this.context = context;
        this.admin = admin;
    }

    public void add(String... args) {
        Cli.parse(new Options(), args).ifPresent(this::run);
    }

    /** FILE's name, made safe for a file name and a PID: {@code app-1.log} is {@code app_1.log}. */
    static String defaultName(Path file) {
        return OUTSIDE_DEFAULT_NAME.matcher(file.getFileName().toString()).replaceAll("_");
    }

    private void run(Options options) {
        String name = options.name();
        try {
            if (Instances.named(context, name).isPresent()
                    || Configurations.withPid(admin, InstanceConfig.pidOf(name)).isPresent()) {
                System.err.println("tailsrv:add: an instance named " + name + " exists already");
                return;
            }
            String where;
            String dir = context.getProperty(CONFIG_DIR);
            if (dir != null) {
                where = "written to " + CfgFile.write(Path.of(dir), name, options.configuration());
            } else {
                admin.getFactoryConfiguration(InstanceConfig.FACTORY_PID, name, "?")
                        .update(new Hashtable<>(options.configuration()));
                where = "configuration " + InstanceConfig.pidOf(name);
            }
            System.out.println("added " + name + ": " + options.endpoint() + " serving " + options.file
                    + " (" + where + ")");
        } catch (FileAlreadyExistsException e) {
            System.err.println("tailsrv:add: " + e.getFile() + " exists already");
        } catch (IOException e) {
            System.err.println("tailsrv:add: " + e);
        }
    }
}
