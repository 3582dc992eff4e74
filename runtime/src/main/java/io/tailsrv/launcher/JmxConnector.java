package io.tailsrv.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.AlreadyBoundException;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMX connector of --jmx HOST:PORT: the platform MBeanServer over RMI,
 * at {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi} (what jconsole
 * HOST:PORT opens). The RMI registry and the connector share the one port,
 * and both listen on HOST only: RMI's own sockets would listen on every
 * interface, and on a second, random port.
 *
 * <p>There is no authentication and no TLS: whoever reaches the port can
 * call any MBean of the JVM, which is as much as running code in it. Keep
 * HOST a loopback address (and reach it from elsewhere through SSH).
 */
final class JmxConnector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JmxConnector.class);
    /** Where RMI stubs say to connect; otherwise the machine's name, which may not lead to HOST. */
    private static final String RMI_HOSTNAME = "java.rmi.server.hostname";

    private final Registry registry;
    private final RMIConnectorServer server;

    private JmxConnector(Registry registry, RMIConnectorServer server) {
        this.registry = registry;
        this.server = server;
    }

    static JmxConnector start(HostPort address, MBeanServer mbeans) throws IOException {
        InetAddress bind = address.address();
        if (System.getProperty(RMI_HOSTNAME) == null && !bind.isAnyLocalAddress()) {
            System.setProperty(RMI_HOSTNAME, address.host());
        }
        RMIServerSocketFactory sockets = new BoundSockets(bind);
        Registry registry = LocateRegistry.createRegistry(address.port(), null, sockets);
        RMIConnectorServer server = null;
        try {
            RMIJRMPServerImpl connections = new RMIJRMPServerImpl(address.port(), null, sockets, Map.of());
            server = new RMIConnectorServer(new JMXServiceURL("service:jmx:rmi://" + address), Map.of(), connections,
                    mbeans);
            server.start();
            registry.bind("jmxrmi", connections.toStub());
        } catch (IOException | AlreadyBoundException | RuntimeException e) {
            if (server != null) {
                server.stop();
            }
            UnicastRemoteObject.unexportObject(registry, true);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        if (!bind.isLoopbackAddress()) {
            LOG.warn("jmx on {} has no authentication: whoever reaches that port can run code in this jvm", address);
        }
        LOG.info("jmx on service:jmx:rmi:///jndi/rmi://{}/jmxrmi", address);
        return new JmxConnector(registry, server);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            LOG.warn("stopping the jmx connector: {}", e.getMessage());
        }
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException e) {
            // unexported already
        }
    }

    /**
     * Server sockets on one address. A record: RMI puts objects exported
     * with equal factories on one port behind one socket, which is how the
     * registry and the connector share HOST:PORT.
     */
    private record BoundSockets(InetAddress address) implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, address);
        }
    }
}
