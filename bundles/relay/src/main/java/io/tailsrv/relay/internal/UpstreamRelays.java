package io.tailsrv.relay.internal;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.tailsrv.api.ClientTls;
import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.Relay;
import io.tailsrv.api.RelayConfig;
import io.tailsrv.api.RelayConfigException;
import io.tailsrv.api.RelayStatus;
import io.tailsrv.api.Relays;
import io.tailsrv.api.TlsConfigException;
import io.tailsrv.api.TlsContexts;

/**
 * Relays, every one of them on one thread, "tailsrv-relay", started with
 * the first relay and stopped with the component, however many instances
 * relay. TLS to an upstream comes from the {@link TlsContexts} service
 * (bundle io.tailsrv.tls), which is optional: only a relay that asks for TLS
 * needs it.
 */
@Component(service = Relays.class)
public final class UpstreamRelays implements Relays {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TlsContexts tlsContexts;

    private final RelayTimings timings;
    private final Set<FileRelay> relays = ConcurrentHashMap.newKeySet();
    private RelayLoop loop; // guarded by this; null until the first relay
    private boolean deactivated; // guarded by this

    /** Called by DS. */
    public UpstreamRelays() {
        this(null, RelayTimings.DEFAULT);
    }

    /** Outside OSGi: with this TLS provider (null for none), and timings of its own. */
    UpstreamRelays(TlsContexts tlsContexts, RelayTimings timings) {
        this.tlsContexts = tlsContexts;
        this.timings = timings;
    }

    @Override
    public Relay follow(RelayConfig config, Consumer<RelayStatus> events) throws RelayConfigException {
        if (config.upstreams().isEmpty()) {
            throw new RelayConfigException(InstanceConfig.UPSTREAM, "names no upstream");
        }
        if (config.fsync() != null && (config.fsync().isNegative() || config.fsync().isZero())) {
            throw new RelayConfigException(InstanceConfig.UPSTREAM_FSYNC, config.fsync() + " is not a period");
        }
        RelayLoop started = loop();
        ClientTls tls = clientTls(config);
        RelayFile file;
        try {
            file = RelayFile.open(config.file());
        } catch (RelayConfigException e) {
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
        FileRelay relay = new FileRelay(config, file, tls, started, timings, events, relays::remove);
        relays.add(relay);
        started.execute(relay::start);
        return relay;
    }

    /** Stops every relay (each file left as it is, and unlocked), then the thread. */
    @Deactivate
    public void deactivate() {
        RelayLoop stopping;
        synchronized (this) {
            deactivated = true;
            stopping = loop;
            loop = null;
        }
        List.copyOf(relays).forEach(FileRelay::close);
        if (stopping != null) {
            stopping.stop();
        }
    }

    private synchronized RelayLoop loop() throws RelayConfigException {
        if (deactivated) {
            throw new IllegalStateException("relays are stopped");
        }
        if (loop == null) {
            try {
                loop = RelayLoop.start();
            } catch (IOException e) {
                throw new RelayConfigException(InstanceConfig.UPSTREAM, "cannot start the relays' thread: " + e.getMessage());
            }
        }
        return loop;
    }

    private ClientTls clientTls(RelayConfig config) throws RelayConfigException {
        if (config.tls() == null) {
            return null;
        }
        TlsContexts contexts = tlsContexts;
        if (contexts == null) {
            throw new RelayConfigException(InstanceConfig.UPSTREAM_TLS_CA,
                    "TLS to the upstream needs the io.tailsrv.tls bundle, and no TlsContexts service is there");
        }
        try {
            return contexts.client(config.instance(), config.tls());
        } catch (TlsConfigException e) {
            String prefix = e.property() + ": ";
            String problem = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
            throw new RelayConfigException(e.property(), problem);
        }
    }
}
