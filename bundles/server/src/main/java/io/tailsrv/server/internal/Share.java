package io.tailsrv.server.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tailsrv.api.ClientStatus;

/**
 * The clients of one instance that live on one I/O loop. Everything here
 * but the signal flag is touched only under that loop's lock: by the loop's
 * thread, or by the file watch's thread serving an append while the loop is
 * idle.
 *
 * <p>Clients that have caught up with the file wait in {@code idle}; when the
 * file grows, they are sent to in one pass, by whichever of those threads. Clients that filled their socket wait for the selector instead, so a
 * slow client costs nothing until its socket drains, and never holds up the
 * others.
 */
final class Share {

    final Instance instance;
    final IoLoop loop;
    /** Bytes sent by this share's clients, for the instance's status. */
    long bytesSent;

    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Set<Client> clients = new HashSet<>();
    private final List<Client> awaitingFile = new ArrayList<>();
    private List<Client> idle = new ArrayList<>();
    private List<Client> spare = new ArrayList<>();
    private volatile boolean hasClients;
    private Feed seenFeed;
    private int seenTruncations;

    Share(Instance instance, IoLoop loop) {
        this.instance = instance;
        this.loop = loop;
    }

    /** Whether a signal is worth sending: only shares with clients need to hear of the file. */
    boolean hasClients() {
        return hasClients;
    }

    /** Sets the signal flag; true if it was clear, i.e. the share must be queued. */
    boolean markSignalled() {
        return signalled.compareAndSet(false, true);
    }

    /** A connection accepted for this instance, handed to this thread. */
    void accept(SocketChannel socket, InetSocketAddress peer) {
        if (instance.isStopped()) {
            closeQuietly(socket);
            instance.clientGone();
            return;
        }
        Client client = new Client(this, socket, peer);
        try {
            client.register(loop.selector);
        } catch (IOException e) {
            closeQuietly(socket);
            instance.clientGone();
            return;
        }
        clients.add(client);
        hasClients = true;
        client.awaitHeader(loop.schedule(instance.settings().headerTimeout().toNanos(), client::headerTimedOut));
    }

    /** The client's header arrived: start it now if there is a file, else when there is one. */
    void headerReceived(Client client) {
        Feed feed = instance.feed();
        if (feed == null) {
            awaitingFile.add(client);
            instance.atInfo().addKeyValue(LogFields.PEER, client.peer)
                    .log("[{}] {} connected: requested {}, waiting for {} to exist",
                            instance.name(), client.peer, client.requested(), instance.settings().file());
        } else {
            start(client, feed);
        }
    }

    /** The instance's file changed (grew, shrank, appeared or went): bring every client up to date. */
    void refresh() {
        signalled.set(false); // before reading the file's state, so that no change is missed
        Feed feed = instance.feed();
        catchUp(feed);
        if (feed == null) {
            return;
        }
        if (!awaitingFile.isEmpty()) {
            List<Client> ready = new ArrayList<>(awaitingFile);
            awaitingFile.clear();
            for (Client client : ready) {
                if (client.isOpen()) {
                    start(client, feed);
                }
            }
        }
        sendToIdle(feed.size());
    }

    /** A client that has sent all there is: it waits here for the file to grow. */
    void park(Client client) {
        if (!client.parked) {
            client.parked = true;
            idle.add(client);
        }
    }

    void removed(Client client) {
        clients.remove(client);
        hasClients = !clients.isEmpty();
        instance.clientGone();
    }

    void closeAll(String why) {
        for (Client client : new ArrayList<>(clients)) {
            client.close(why);
        }
        awaitingFile.clear();
        idle.clear();
    }

    List<ClientStatus> snapshot() {
        List<ClientStatus> out = new ArrayList<>(clients.size());
        for (Client client : clients) {
            out.add(client.status());
        }
        return out;
    }

    private void start(Client client, Feed feed) {
        catchUp(feed); // clients of an older file go before a client of this one starts
        long size = sizeNow(feed);
        long offset = instance.protocol.resolve(client.requested(), size);
        instance.atInfo().addKeyValue(LogFields.PEER, client.peer).addKeyValue(LogFields.OFFSET, offset)
                .log("[{}] {} connected: requested {}, starting at {} of {} bytes",
                        instance.name(), client.peer, client.requested(), offset, size);
        client.begin(feed, offset);
    }

    /**
     * The file's size as it is now, for resolving an offset counted from its
     * end: the size last reported by the file watch can be one write behind,
     * and "the last N bytes" means those written before the client asked.
     * The client then waits for that report before it is sent anything past
     * the reported size.
     */
    private static long sizeNow(Feed feed) {
        try {
            return feed.channel.size();
        } catch (IOException e) {
            return feed.size();
        }
    }

    private void sendToIdle(long size) {
        if (idle.isEmpty()) {
            return;
        }
        List<Client> batch = idle;
        idle = spare;
        spare = batch;
        for (Client client : batch) {
            if (!client.isOpen()) {
                continue;
            }
            if (client.offset() < size) {
                client.parked = false;
                client.pump();
            } else {
                idle.add(client);
            }
        }
        batch.clear();
    }

    /** Reconciles the clients with {@code feed} if it changed since they last were. */
    private void catchUp(Feed feed) {
        if (feed != seenFeed || (feed != null && feed.truncations() != seenTruncations)) {
            reconcile(feed);
        }
    }

    /** Closes the clients the file's latest change leaves nothing to send to. */
    private void reconcile(Feed feed) {
        for (Client client : new ArrayList<>(clients)) {
            Feed own = client.feed();
            if (own == null) {
                continue; // no header yet, or waiting for a file: unaffected
            }
            if (own != feed) {
                client.close("the file was deleted or moved");
            } else if (client.missedTruncation()) {
                if (client.offset() > feed.size()) {
                    client.close("the file was truncated to " + feed.size() + " bytes, before its offset");
                } else {
                    client.truncationSeen();
                }
            }
        }
        seenFeed = feed;
        seenTruncations = feed == null ? 0 : feed.truncations();
        idle.removeIf(client -> !client.isOpen());
    }

    static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket nobody will use again: nothing to do about it
        }
    }

}
