package io.tailsrv.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.MBeanOperationInfo;
import javax.management.openmbean.OpenMBeanOperationInfo;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.InstanceCounters;
import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.RelayStatus;

/** The MXBean as a JMX client reads it: through an MBeanServer, in open types only. */
class InstanceMBeanTest {

    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final ObjectName name = InstanceObjectName.of("app");

    @Test
    void everyAttributeAsJmxReadsIt() throws Exception {
        Instance instance = new Instance();
        instance.counters = new InstanceCounters(7, Map.of(InstanceCounters.ALLOW, 2L, "http: 404", 1L),
                Map.of(InstanceCounters.RESET, 3L), 4096, 2, 1, 300, 4.5);
        register(instance, 4321);

        assertEquals("SERVING", server.getAttribute(name, "State"));
        assertNull(server.getAttribute(name, "Reason"));
        assertEquals(4321, server.getAttribute(name, "Port"));
        assertEquals("/var/log/app.log", server.getAttribute(name, "File"));
        assertEquals(1000L, server.getAttribute(name, "FileSize"));
        assertEquals(2, server.getAttribute(name, "Clients"));
        assertEquals(1, server.getAttribute(name, "Pending"));
        assertEquals(4096L, server.getAttribute(name, "BytesSent"));
        assertEquals(7L, server.getAttribute(name, "Accepted"));
        assertEquals(300L, server.getAttribute(name, "SlowestLagBytes"));
        assertEquals(4.5, server.getAttribute(name, "SlowestLagSeconds"));

        Map<String, Long> refused = map((TabularData) server.getAttribute(name, "Refused"));
        assertEquals(2L, refused.get(InstanceCounters.ALLOW));
        assertEquals(1L, refused.get("http: 404"));
        assertEquals(0L, refused.get(InstanceCounters.HEADER_TIMEOUT), "a reason that has not happened yet shows 0");
        assertEquals(ByReason.REFUSED.size() + 1, refused.size());
        Map<String, Long> closed = map((TabularData) server.getAttribute(name, "Closed"));
        assertEquals(3L, closed.get(InstanceCounters.RESET));
        assertEquals(ByReason.CLOSED.size(), closed.size());

        for (String relayAttribute : List.of("Upstream", "RelayState", "UpstreamLag", "Reconnects", "ContinuityFailures")) {
            assertNull(server.getAttribute(name, relayAttribute), relayAttribute + " of an instance that is no relay");
        }
    }

    @Test
    void aRelaysAttributes() throws Exception {
        Instance instance = new Instance();
        instance.relay = new RelayStatus(RelayStatus.State.BACKING_OFF, "origin:4321", 512, 4, 1, "refused");
        register(instance, 4321);
        assertEquals("origin:4321", server.getAttribute(name, "Upstream"));
        assertEquals("BACKING_OFF", server.getAttribute(name, "RelayState"));
        assertEquals(512L, server.getAttribute(name, "UpstreamLag"));
        assertEquals(4L, server.getAttribute(name, "Reconnects"));
        assertEquals(1L, server.getAttribute(name, "ContinuityFailures"));
    }

    @Test
    void clientsIsATableWithARowPerClient() throws Exception {
        Instance instance = new Instance();
        Instant since = Instant.parse("2026-12-07T10:00:00Z");
        instance.clients = List.of(
                new ClientStatus("127.0.0.1:5000", 1000, 0, 0, 1000, since, null, "raw"),
                new ClientStatus("127.0.0.1:5001", 200, 800, 12.5, 200, since, "client.example.com", "raw/tls"),
                new ClientStatus("127.0.0.1:5002", -1, 0, 0, 0, since, null, "-"),
                new ClientStatus("127.0.0.1:5002", 1000, 0, 0, 0, since, null, "raw"));
        register(instance, 4321);

        TabularData clients = (TabularData) server.invoke(name, "clients", new Object[0], new String[0]);
        assertEquals(3, clients.size(), "one row per peer");
        CompositeData slow = clients.get(new Object[] {"127.0.0.1:5001"});
        assertEquals("raw/tls", slow.get("protocol"));
        assertEquals("client.example.com", slow.get("identity"));
        assertEquals(200L, slow.get("offset"));
        assertEquals(800L, slow.get("lagBytes"));
        assertEquals(12.5, slow.get("lagSeconds"));
        assertEquals(200L, slow.get("bytesSent"));
        assertEquals("2026-12-07T10:00:00Z", slow.get("connectedSince"));
        CompositeData caughtUp = clients.get(new Object[] {"127.0.0.1:5000"});
        assertEquals(0L, caughtUp.get("lagBytes"));
        assertEquals(0.0, caughtUp.get("lagSeconds"));
        assertNull(caughtUp.get("identity"));
        assertEquals(-1L, clients.get(new Object[] {"127.0.0.1:5002"}).get("offset"), "the first reading stands");

        MBeanOperationInfo[] operations = server.getMBeanInfo(name).getOperations();
        assertEquals(1, operations.length);
        assertEquals(ClientTable.TABLE, ((OpenMBeanOperationInfo) operations[0]).getReturnOpenType(),
                "a JMX console learns the table's columns before it calls");
    }

    private void register(InstanceStatus instance, int port) throws Exception {
        server.registerMBean(new InstanceMBean(instance, reference(port)), name);
    }

    /** A status service's reference, as far as the MBean reads it: its properties. */
    @SuppressWarnings("unchecked")
    private static ServiceReference<InstanceStatus> reference(int port) {
        Dictionary<String, Object> properties = new Hashtable<>(Map.of(InstanceStatus.PORT, port));
        return (ServiceReference<InstanceStatus>) Proxy.newProxyInstance(InstanceMBeanTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return properties.get(args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Map<String, Long> map(TabularData table) {
        Map<String, Long> map = new TreeMap<>();
        for (Object row : table.values()) {
            CompositeData entry = (CompositeData) row;
            map.put((String) entry.get("key"), (Long) entry.get("value"));
        }
        return map;
    }
}
