package io.tailsrv.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** A tailsrv client as a user would write one: connect, send an offset line, read. */
final class Client implements AutoCloseable {

    private static final Random RANDOM = new Random();
    private static final Set<Integer> CLAIMED = new HashSet<>(); // guarded by itself
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    final Socket socket;
    private final InputStream in;

    private Client(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        this.in = socket.getInputStream();
    }

    static Client connect(int port) throws IOException {
        return connect("127.0.0.1", port);
    }

    static Client connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MILLIS);
        return new Client(socket);
    }

    /** Connects and sends {@code header} (a newline is added). */
    static Client request(int port, String header) throws IOException {
        Client client = connect(port);
        client.send(header + "\n");
        return client;
    }

    /**
     * Connects with a receive buffer of about {@code bytes} (set before
     * connecting: the kernel sizes the window then) and sends {@code header}:
     * a client that reads nothing then stalls, once that buffer and the
     * server's send buffer are full.
     */
    static Client request(int port, String header, int bytes) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(bytes);
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        Client client = new Client(socket);
        client.send(header + "\n");
        return client;
    }

    /** Connects to 127.0.0.1:{@code port} from the local address {@code source} (another loopback address, say). */
    static Client from(String source, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new Client(socket);
    }

    void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads exactly {@code n} bytes; fails if the stream ends or stalls first. */
    byte[] read(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new AssertionError("stream ended after " + bytes.length + " of " + n + " bytes: "
                    + new String(bytes, StandardCharsets.ISO_8859_1));
        }
        return bytes;
    }

    String readString(int n) throws IOException {
        return new String(read(n), StandardCharsets.ISO_8859_1);
    }

    /** True if the server closed the connection (EOF or reset) within the read timeout, with no more data. */
    boolean closedByServer() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError("expected the connection to be closed, got byte " + b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Bytes that arrive within {@code millis}, for asserting that nothing does. */
    byte[] readAvailableWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        byte[] buffer = new byte[4096];
        try {
            int n = in.read(buffer);
            return n < 0 ? new byte[0] : Arrays.copyOf(buffer, n);
        } catch (SocketTimeoutException e) {
            return new byte[0];
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * A port nothing listens on right now, below the kernel's ephemeral
     * range, and not handed out before in this JVM: a port from that range
     * (what binding port 0 gives) can be taken by any outgoing connection on
     * this machine before the server under test binds it, and then that
     * server fails with "Address already in use"; and a test that asks for
     * two ports before binding either must not get the same one twice.
     * Drawn at random, so that test runs side by side seldom meet.
     */
    static int freePort() throws IOException {
        int below = ephemeralLow();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 10_000 + RANDOM.nextInt(below - 10_000);
            if (!claim(port)) {
                continue; // handed out already
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // another listener has it: try another
            }
        }
        throw new IOException("no free port from 10000 to " + (below - 1));
    }

    /** {@code count} distinct {@linkplain #freePort() free ports}. */
    static List<Integer> freePorts(int count) throws IOException {
        List<Integer> ports = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ports.add(freePort());
        }
        return ports;
    }

    /** Claims {@code port} for this JVM, free or not; false if it was claimed before. */
    private static boolean claim(int port) {
        synchronized (CLAIMED) {
            return CLAIMED.add(port);
        }
    }

    private static int ephemeralLow() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int low = Files.exists(range) ? Integer.parseInt(Files.readString(range).strip().split("\\s+")[0]) : 32768;
        return Math.max(low, 20_000);
    }
}
