package io.tailsrv.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.tailsrv.api.ZeroCopySender;
import io.tailsrv.sendfile.internal.TransferToSender;

/**
 * What one append costs the server: a 64-byte record written to the file,
 * then sent to every caught-up client, one sendfile each, on real loopback
 * TCP connections that a background thread drains so that they never fill.
 * {@link #append} alone is the baseline to subtract.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FanOut {

    /** The file alone, for the baseline. */
    @State(Scope.Thread)
    public static class FileOnly {

        GrowingFile file;

        @Setup(Level.Trial)
        public void create() throws IOException {
            file = new GrowingFile();
        }

        @Setup(Level.Iteration)
        public void empty() throws IOException {
            file.empty();
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            file.close();
        }
    }

    /** The file and its clients' connections, each with the offset it has reached. */
    @State(Scope.Thread)
    public static class Clients {

        @Param({"1", "100", "1000"})
        int count;

        GrowingFile file;
        SocketChannel[] sockets;
        long[] offsets;
        /** A field, not a constant, as the server holds its DS reference. */
        ZeroCopySender sender = new TransferToSender();
        private Drainer drainer;

        @Setup(Level.Trial)
        public void connect() throws IOException {
            file = new GrowingFile();
            sockets = new SocketChannel[count];
            SocketChannel[] peers = new SocketChannel[count];
            try (ServerSocketChannel server = ServerSocketChannel.open()
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                for (int i = 0; i < count; i++) {
                    sockets[i] = SocketChannel.open(server.getLocalAddress());
                    // as the server sets up a client's socket
                    sockets[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
                    sockets[i].configureBlocking(false);
                    peers[i] = server.accept();
                }
            }
            drainer = new Drainer(peers);
            offsets = new long[count];
        }

        /** An empty file, and every client caught up with it. */
        @Setup(Level.Iteration)
        public void catchUp() throws IOException {
            file.empty();
            Arrays.fill(offsets, 0);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException, InterruptedException {
            try (GrowingFile f = file; Drainer d = drainer) {
                for (SocketChannel socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Benchmark
    public long append(FileOnly only) throws IOException {
        return only.file.append();
    }

    @Benchmark
    public long appendAndSendThroughService(Clients clients) throws IOException {
        long end = clients.file.append();
        long sent = 0;
        for (int i = 0; i < clients.count; i++) {
            long offset = clients.offsets[i];
            long n = clients.sender.send(clients.file.reader(), offset, end - offset, clients.sockets[i]);
            clients.offsets[i] = offset + n;
            sent += n;
        }
        return sent;
    }

    @Benchmark
    public long appendAndTransferTo(Clients clients) throws IOException {
        long end = clients.file.append();
        long sent = 0;
        for (int i = 0; i < clients.count; i++) {
            long offset = clients.offsets[i];
            long n = clients.file.reader().transferTo(offset, end - offset, clients.sockets[i]);
            clients.offsets[i] = offset + n;
            sent += n;
        }
        return sent;
    }
}
