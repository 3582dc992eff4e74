package io.tailsrv.shell.internal;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.InstanceStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tailsrv:clients [NAME]}: one line per connected client. */
@Component(service = ClientsCommand.class, property = {Cli.SCOPE, Cli.FUNCTION + "clients"})
public final class ClientsCommand {

    @Command(name = "tailsrv:clients", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Lists the clients of every instance, or of one.")
    static final class Options {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "only this instance's clients")
        String name;
    }

    private final BundleContext context;

    @Activate
    public ClientsCommand(BundleContext context) {
        this.context = context;
    }

    public void clients(String... args) {
        Cli.parse(new Options(), args).ifPresent(this::run);
    }

    private void run(Options options) {
        List<ServiceReference<InstanceStatus>> instances;
        if (options.name == null) {
            instances = Instances.all(context);
        } else {
            Optional<ServiceReference<InstanceStatus>> named = Instances.named(context, options.name);
            if (named.isEmpty()) {
                System.err.println("tailsrv:clients: no instance named " + options.name);
                return;
            }
            instances = List.of(named.get());
        }
        Table table = new Table("INSTANCE", "PEER", "PROTO", "IDENTITY", "OFFSET", "LAG", "SENT", "SINCE");
        boolean any = false;
        for (ServiceReference<InstanceStatus> instance : instances) {
            List<ClientStatus> clients = Instances.read(context, instance, InstanceStatus::clients).orElse(List.of());
            for (ClientStatus client : clients) {
                boolean headerRead = client.offset() >= 0;
                table.row(Instances.name(instance), client.peer(), client.protocol(),
                        client.identity() == null ? "-" : client.identity(),
                        headerRead ? client.offset() : "-", headerRead ? client.lag() : "-",
                        client.bytesSent(), client.connectedSince().truncatedTo(ChronoUnit.SECONDS));
                any = true;
            }
        }
        System.out.print(any ? table.render() : "no clients" + System.lineSeparator());
    }
}
