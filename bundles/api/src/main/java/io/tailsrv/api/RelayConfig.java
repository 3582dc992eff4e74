package io.tailsrv.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a relay follows and where it writes.
 *
 * @param instance the instance's name, for log lines
 * @param upstreams {@value InstanceConfig#UPSTREAM}: tailsrv servers serving the same stream, in
 *        the order to try them
 * @param file the instance's file, which the relay alone writes
 * @param tls the upstream's TLS ({@value InstanceConfig#UPSTREAM_TLS_CA}, ...); null for plain
 * @param fsync {@value InstanceConfig#UPSTREAM_FSYNC}: how often the file is made durable
 *        ({@code fdatasync}); null for never (the kernel writes it back in its own time)
 */
public record RelayConfig(String instance, List<Upstream> upstreams, Path file, TlsClientConfig tls, Duration fsync) {

    public RelayConfig {
        upstreams = List.copyOf(upstreams);
    }

    /** One upstream server. */
    public record Upstream(String host, int port) {

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
