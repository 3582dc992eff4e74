package io.tailsrv.shell.internal;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.InstanceStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tailsrv:clients [NAME]}: one line per connected client. */
@Component(service = ClientsCommand.class, property = {Cli.SCOPE, Cli.FUNCTION + "clients"})
public final class ClientsCommand {

    @Command(name = "tailsrv:clients", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Lists the clients of every instance, or of one.")
    static final class Options {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "only this instance's clients")
        String name;

        @Option(names = "--by-lag", description = "the clients furthest behind first (by seconds, then bytes)")
        boolean byLag;
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
        List<Map.Entry<String, ClientStatus>> rows = new ArrayList<>();
        for (ServiceReference<InstanceStatus> instance : instances) {
            List<ClientStatus> clients = Instances.read(context, instance, InstanceStatus::clients).orElse(List.of());
            for (ClientStatus client : clients) {
                rows.add(Map.entry(Instances.name(instance), client));
            }
        }
        if (options.byLag) {
            rows.sort(Comparator.comparingDouble((Map.Entry<String, ClientStatus> row) -> row.getValue().lagSeconds())
                    .thenComparingLong(row -> row.getValue().lag()).reversed());
        }
        Table table = new Table("INSTANCE", "PEER", "PROTO", "IDENTITY", "OFFSET", "LAG", "LAG(S)", "SENT", "SINCE");
        for (Map.Entry<String, ClientStatus> row : rows) {
            ClientStatus client = row.getValue();
            boolean started = client.offset() >= 0;
            table.row(row.getKey(), client.peer(), client.protocol(),
                    client.identity() == null ? "-" : client.identity(),
                    started ? client.offset() : "-", started ? client.lag() : "-",
                    started ? String.format(Locale.ROOT, "%.1f", client.lagSeconds()) : "-",
                    client.bytesSent(), client.connectedSince().truncatedTo(ChronoUnit.SECONDS));
        }
        System.out.print(rows.isEmpty() ? "no clients" + System.lineSeparator() : table.render());
    }
}
