package io.tailsrv.shell.internal;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.RelayStatus;
import picocli.CommandLine.Command;

/** {@code tailsrv:list}: one line per instance. */
@Component(service = ListCommand.class, property = {Cli.SCOPE, Cli.FUNCTION + "list"})
public final class ListCommand {

    @Command(name = "tailsrv:list", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Lists the tailsrv instances: where each listens, what it serves, its state and traffic.")
    static final class Options {
    }

    private final BundleContext context;

    @Activate
    public ListCommand(BundleContext context) {
        this.context = context;
    }

    public void list(String... args) {
        if (Cli.parse(new Options(), args).isEmpty()) {
            return;
        }
        List<ServiceReference<InstanceStatus>> instances = Instances.all(context);
        if (instances.isEmpty()) {
            System.out.println("no tailsrv instances");
            return;
        }
        Table table = new Table("NAME", "ENDPOINT", "FILE", "STATE", "CLIENTS", "SIZE", "SENT", "UPSTREAM");
        for (ServiceReference<InstanceStatus> instance : instances) {
            Instances.read(context, instance, status -> table.row(status.name(), status.endpoint(), status.file(),
                    state(status), status.clientCount(), status.fileSize() < 0 ? "-" : status.fileSize(),
                    status.bytesSent(), upstream(status.relay())));
        }
        System.out.print(table.render());
    }

    /** A relay's upstream, state and lag, as {@code host:port FOLLOWING, lag 0}; {@code -} for other instances. */
    static String upstream(RelayStatus relay) {
        if (relay == null) {
            return "-";
        }
        String text = relay.upstream() + " " + relay.state().word();
        if (relay.lag() >= 0) {
            text += ", lag " + relay.lag();
        }
        return relay.reason() == null ? text : text + ": " + relay.reason();
    }

    /** The state as an operator reads it; a failure is only useful with its reason. */
    static String state(InstanceStatus status) {
        return switch (status.state()) {
            case WAITING -> "WAITING for file";
            case FAILED -> "FAILED: " + status.reason();
            default -> status.state().name();
        };
    }
}
