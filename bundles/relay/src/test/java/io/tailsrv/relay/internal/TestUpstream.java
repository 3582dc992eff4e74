package io.tailsrv.relay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import io.tailsrv.api.RelayConfig.Upstream;

/**
 * An upstream for the tests: a small real server of the offset protocol
 * over a real file, as tailsrv serves it (an offset and a newline, then the
 * file from there and every byte appended later; a negative offset counts
 * from the end; an offset past the end waits for the file to reach it; a
 * connection whose offset the file shrinks below is closed), and {@code HEAD /} answered with the file's size as tailsrv's
 * HTTP does. Plain (the file sent with sendfile, through transferTo) or
 * TLS. A thread per connection: it is a test's server.
 */
final class TestUpstream implements AutoCloseable {

    /** The file is looked at this often while it does not grow (tailsrv has inotify; this server polls). */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Path file;
    private final ServerSocket server;
    private final Thread acceptor;
    private final boolean tls;
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean http = true;
    private volatile boolean closed;

    private TestUpstream(Path file, ServerSocket server, boolean tls) {
        this.file = file;
        this.server = server;
        this.tls = tls;
        this.acceptor = new Thread(this::accept, "test-upstream-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Serves {@code file} on a free loopback port. */
    static TestUpstream plain(Path file) throws IOException {
        return plain(file, 0);
    }

    /** Serves {@code file} on {@code port} of loopback (0 for a free one): a restart takes the port it had. */
    static TestUpstream plain(Path file, int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.socket().setReuseAddress(true);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new TestUpstream(file, channel.socket(), false);
    }

    /** Over TLS, with {@code context}'s certificate; {@code needClientAuth}: a client certificate is required. */
    static TestUpstream tls(Path file, SSLContext context, boolean needClientAuth) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        socket.setNeedClientAuth(needClientAuth);
        return new TestUpstream(file, socket, true);
    }

    int port() {
        return server.getLocalPort();
    }

    /** As a relay's configuration names it: {@code localhost}, the name in the TLS tests' certificate. */
    Upstream upstream() {
        return new Upstream("localhost", port());
    }

    /** {@code false}: a request starting with a letter is closed without a byte, as tailsrv with {@code http = false}. */
    void http(boolean on) {
        http = on;
    }

    /** The next offset header a client sent (the header's text, without its newline). */
    String nextRequest(Duration wait) throws InterruptedException {
        String request = requests.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (request == null) {
            throw new AssertionError("no request came to the upstream within " + wait);
        }
        return request;
    }

    /** Resets every connection, as tailsrv's do when it is killed; keeps listening. */
    void dropConnections() {
        for (Socket socket : connections) {
            reset(socket);
        }
    }

    /** Stops listening and resets every connection; once it returns, the port is free. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // going anyway
        }
        // The listening socket lives on in the kernel until the thread blocked in accept(2) has left it.
        acceptor.join();
        dropConnections();
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            if (closed) {
                reset(socket);
                return;
            }
            connections.add(socket);
            Thread thread = new Thread(() -> serve(socket), "test-upstream-" + socket.getPort());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void serve(Socket socket) {
        try (socket; FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            InputStream in = socket.getInputStream();
            int first = in.read();
            if (first < 0) {
                return;
            }
            if (Character.isLetter(first)) {
                if (http) {
                    answerHead(in, socket.getOutputStream(), channel.size());
                }
                return;
            }
            String header = (char) first + readLine(in);
            requests.add(header);
            long requested = Long.parseLong(header.strip());
            long start = requested >= 0 ? requested : Math.max(0, channel.size() + requested);
            stream(socket, channel, start);
        } catch (IOException e) {
            // The relay went, or this server was closed: either way the connection is over.
        } finally {
            connections.remove(socket);
        }
    }

    private void stream(Socket socket, FileChannel channel, long start) throws IOException {
        OutputStream out = socket.getOutputStream();
        ByteBuffer buffer = tls ? ByteBuffer.allocate(64 * 1024) : null;
        long position = start;
        long before = channel.size();
        while (!closed && !socket.isClosed()) {
            long size = channel.size();
            if (size < before && size < position) {
                return; // truncated below this client's offset: tailsrv closes it
            }
            before = size;
            if (size <= position) {
                LockSupport.parkNanos(IDLE_NANOS);
                continue;
            }
            if (tls) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), size - position));
                position += channel.read(buffer, position);
                out.write(buffer.array(), 0, buffer.position());
            } else {
                position += channel.transferTo(position, size - position, socket.getChannel());
            }
        }
    }

    private static void answerHead(InputStream in, OutputStream out, long size) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + size
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0 || line.length() > 64) {
                throw new IOException("no header");
            }
            line.append((char) b);
        }
        return line.toString();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // closed already
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
