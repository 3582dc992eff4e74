package io.tailsrv.tls.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.tailsrv.api.ClientTls;
import io.tailsrv.api.FileWatch;
import io.tailsrv.api.ServerTls;
import io.tailsrv.api.TlsClientConfig;
import io.tailsrv.api.TlsConfig;
import io.tailsrv.api.TlsConfigException;
import io.tailsrv.api.TlsContexts;

/**
 * TlsContexts with the JDK's TLS (SunJSSE, through {@code SSLContext
 * "TLS"}), the server's certificate and key read from PEM with BouncyCastle
 * or from PKCS#12 by the JDK, and renewal followed through the
 * {@link FileWatch}. One thread, "tailsrv-tls", reloads for every instance,
 * while some instance uses TLS.
 */
@Component(service = TlsContexts.class)
public final class JsseTlsContexts implements TlsContexts {

    private final FileWatch fileWatch;
    private final ReloadThread reloads = new ReloadThread();
    private final Set<InstanceTls> open = ConcurrentHashMap.newKeySet();
    private final Set<UpstreamTls> upstreams = ConcurrentHashMap.newKeySet();

    /** Called by DS, or directly outside OSGi. */
    @Activate
    public JsseTlsContexts(@Reference FileWatch fileWatch) {
        this.fileWatch = fileWatch;
    }

    @Override
    public ServerTls open(String instance, TlsConfig config) throws TlsConfigException {
        InstanceTls tls = InstanceTls.open(instance, config, fileWatch, reloads, open::remove);
        open.add(tls);
        return tls;
    }

    @Override
    public ClientTls client(String instance, TlsClientConfig config) throws TlsConfigException {
        UpstreamTls tls = UpstreamTls.open(instance, config, fileWatch, reloads, upstreams::remove);
        upstreams.add(tls);
        return tls;
    }

    /** Stops following the files of every instance still open (their engines keep working). */
    @Deactivate
    public void deactivate() {
        List.copyOf(open).forEach(InstanceTls::close);
        List.copyOf(upstreams).forEach(UpstreamTls::close);
    }
}
