package io.tailsrv.metrics.internal;

import java.util.List;

import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

import io.tailsrv.api.ClientStatus;

/**
 * An instance's clients as JMX open data: a table a JMX console shows as it
 * is and a script reads without any class of tailsrv's. Its rows are keyed
 * by peer ({@code address:port}), which no two connections share.
 */
final class ClientTable {

    private static final String[] ITEMS = {
        "peer", "protocol", "identity", "offset", "lagBytes", "lagSeconds", "bytesSent", "connectedSince"};
    private static final String[] DESCRIPTIONS = {
        "the client's address and port",
        "raw (the offset header), raw/tls, http or sse; - before its request",
        "its TLS client certificate's identity; null without one",
        "the next byte it will be sent; -1 before its request",
        "bytes between its offset and the end of the file",
        "seconds since its offset was last the end of the file; 0 while caught up",
        "bytes sent to it so far",
        "when it connected (ISO-8601, UTC)"};
    private static final OpenType<?>[] TYPES = {
        SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.LONG, SimpleType.LONG, SimpleType.DOUBLE,
        SimpleType.LONG, SimpleType.STRING};

    static final CompositeType ROW;
    static final TabularType TABLE;

    static {
        try {
            ROW = new CompositeType("io.tailsrv.Client", "a client of a tailsrv instance", ITEMS, DESCRIPTIONS, TYPES);
            TABLE = new TabularType("io.tailsrv.Clients", "the clients of a tailsrv instance", ROW, new String[] {"peer"});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ClientTable() {
    }

    static TabularData of(List<ClientStatus> clients) {
        TabularDataSupport table = new TabularDataSupport(TABLE);
        for (ClientStatus client : clients) {
            if (table.containsKey(new Object[] {client.peer()})) {
                continue; // seen twice, read as it passed from its handshake to streaming: once is the truth
            }
            try {
                table.put(new CompositeDataSupport(ROW, ITEMS, new Object[] {
                    client.peer(), client.protocol(), client.identity(), client.offset(), client.lag(),
                    client.lagSeconds(), client.bytesSent(), client.connectedSince().toString()}));
            } catch (OpenDataException e) {
                throw new IllegalStateException("a client row that does not fit its own type", e);
            }
        }
        return table;
    }
}
