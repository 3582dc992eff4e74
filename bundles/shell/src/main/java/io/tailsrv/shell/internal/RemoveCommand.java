package io.tailsrv.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import picocli.CommandLine.Command;

/** {@code tailsrv:remove NAME}: deletes an instance's configuration, which stops it for good. */
@Component(service = RemoveCommand.class, property = {Cli.SCOPE, Cli.FUNCTION + "remove"})
public final class RemoveCommand {

    @Command(name = "tailsrv:remove", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Removes an instance: deletes its configuration, closing its port and its clients.",
                "A configuration read from a tailsrv-NAME.cfg file is removed by deleting that file."})
    static final class Options extends InstanceArgument {
    }

    private final BundleContext context;
    private final ConfigurationAdmin admin;

    @Activate
    public RemoveCommand(BundleContext context, @Reference(name = "configurationAdmin") ConfigurationAdmin admin) {
        this.context = context;
        this.admin = admin;
    }

    public void remove(String... args) {
        Cli.parse(new Options(), args).ifPresent(this::run);
    }

    private void run(Options options) {
        try {
            Optional<Configuration> config = Configurations.ofInstance(context, admin, options.name);
            if (config.isEmpty()) {
                System.err.println("tailsrv:remove: no instance named " + options.name);
                return;
            }
            Optional<Path> file = CfgFile.of(config.get());
            if (file.isPresent()) {
                Files.delete(file.get()); // FileInstall deletes the configuration in turn
            } else {
                config.get().delete();
            }
            System.out.println("removed " + options.name + file.map(path -> " (deleted " + path + ")").orElse(""));
        } catch (IOException e) {
            System.err.println("tailsrv:remove: " + e);
        }
    }
}
