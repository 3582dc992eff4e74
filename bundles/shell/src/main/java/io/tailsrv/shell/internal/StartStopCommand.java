package io.tailsrv.shell.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.RelayStatus;
import picocli.CommandLine.Command;

/**
 * {@code tailsrv:start NAME} and {@code tailsrv:stop NAME}: switch the
 * {@code enabled} property of an instance's configuration. The instance
 * keeps its configuration (and its file, in a config directory), so a stop
 * outlasts a restart of the server.
 */
@Component(service = StartStopCommand.class,
        property = {Cli.SCOPE, Cli.FUNCTION + "start", Cli.FUNCTION + "stop"})
public final class StartStopCommand {

    @Command(name = "tailsrv:start", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Starts a stopped instance (sets enabled = true in its configuration).",
                "A relay that stopped because its upstream's stream diverged from its file starts again."})
    static final class StartOptions extends InstanceArgument {
    }

    @Command(name = "tailsrv:stop", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Stops an instance without removing it (sets enabled = false in its configuration).",
                "Its port is closed and its clients are disconnected; the other instances carry on."})
    static final class StopOptions extends InstanceArgument {
    }

    private final BundleContext context;
    private final ConfigurationAdmin admin;

    @Activate
    public StartStopCommand(BundleContext context, @Reference(name = "configurationAdmin") ConfigurationAdmin admin) {
        this.context = context;
        this.admin = admin;
    }

    public void start(String... args) {
        Cli.parse(new StartOptions(), args).ifPresent(options -> setEnabled("tailsrv:start", options.name, true));
    }

    public void stop(String... args) {
        Cli.parse(new StopOptions(), args).ifPresent(options -> setEnabled("tailsrv:stop", options.name, false));
    }

    private void setEnabled(String command, String name, boolean enabled) {
        try {
            Optional<Configuration> found = Configurations.ofInstance(context, admin, name);
            if (found.isEmpty()) {
                System.err.println(command + ": no instance named " + name);
                return;
            }
            Configuration config = found.get();
            Dictionary<String, Object> properties = config.getProperties();
            if (says(properties.get(InstanceConfig.ENABLED), enabled)) {
                if (enabled && failedRelay(name)) {
                    config.update(properties); // the same configuration, applied again: the relay starts afresh
                    System.out.println("started the relay of " + name + " again");
                    return;
                }
                System.out.println(name + (enabled ? " was not stopped" : " was already stopped"));
                return;
            }
            Optional<Path> file = CfgFile.of(config);
            if (file.isPresent()) {
                CfgFile.set(file.get(), InstanceConfig.ENABLED, Boolean.toString(enabled)); // FileInstall applies it
            } else {
                properties.put(InstanceConfig.ENABLED, enabled);
                config.update(properties);
            }
            System.out.println((enabled ? "started " : "stopped ") + name
                    + file.map(path -> " (written to " + path + ")").orElse(""));
        } catch (IOException e) {
            System.err.println(command + ": " + e);
        }
    }

    /** Whether {@code name} is a relay that stopped for good (its upstream's stream diverged from its file). */
    private boolean failedRelay(String name) {
        return Instances.named(context, name)
                .map(reference -> RelayStatus.State.FAILED.name().equals(reference.getProperty(InstanceStatus.RELAY_STATE)))
                .orElse(false);
    }

    /**
     * Whether the property already says {@code enabled}, as the server reads
     * it (absent is true); a value it cannot read is overwritten.
     */
    static boolean says(Object value, boolean enabled) {
        String text = value == null ? "true" : value.toString().strip();
        return text.equalsIgnoreCase(Boolean.toString(enabled));
    }
}
