package io.tailsrv.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Reads and discards whatever arrives on the clients' ends, on its own
 * thread, so that the measured thread only sends. Closing it stops the thread
 * and closes the ends.
 */
final class Drainer implements AutoCloseable {

    private final Selector selector;
    private final SocketChannel[] peers;
    private final Thread thread;
    private volatile boolean running = true;
    /** Why the thread stopped early: the sockets may have filled, so the figures mean nothing. */
    private volatile IOException failure;

    Drainer(SocketChannel[] peers) throws IOException {
        this.peers = peers;
        selector = Selector.open();
        for (SocketChannel peer : peers) {
            peer.configureBlocking(false);
            peer.register(selector, SelectionKey.OP_READ);
        }
        thread = new Thread(this::drain, "drainer");
        thread.setDaemon(true);
        thread.start();
    }

    private void drain() {
        ByteBuffer discard = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (running) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel peer = (SocketChannel) key.channel();
                    int n;
                    do {
                        n = peer.read(discard.clear());
                    } while (n > 0);
                    if (n < 0) {
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        selector.wakeup();
        thread.join();
        try (Selector s = selector) {
            for (SocketChannel peer : peers) {
                peer.close();
            }
        }
        if (failure != null) {
            throw new IOException("draining failed, so the sockets may have filled", failure);
        }
    }
}
