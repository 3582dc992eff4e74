package io.tailsrv.sendfile.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.tailsrv.api.ZeroCopySender;

/**
 * The program {@link SendfileSyscallTest} runs under strace: sends the file
 * named by its argument through {@link SendfileSender} to a loopback peer
 * in the same process that reads and discards it, and prints
 * {@code fd N} (the file's descriptor), {@code sent N} and {@code drained N}.
 */
public final class SendFileToDrain {

    private SendFileToDrain() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]).toRealPath();
        ZeroCopySender sender = new SendfileSender();
        try (FileChannel file = FileChannel.open(path);
                ServerSocketChannel server = ServerSocketChannel.open()
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel socket = SocketChannel.open(server.getLocalAddress());
                SocketChannel peer = server.accept()) {
            System.out.println("fd " + descriptorOf(path));
            CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> drain(peer));

            long size = file.size();
            long sent = 0;
            while (sent < size) {
                sent += sender.send(file, sent, size - sent, socket);
            }
            socket.shutdownOutput();

            System.out.println("sent " + sent);
            System.out.println("drained " + drained.get());
        }
    }

    /** The number of this process's descriptor open on {@code path}, from /proc/self/fd. */
    private static int descriptorOf(Path path) throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors
                    .filter(fd -> path.equals(linkTarget(fd)))
                    .map(fd -> Integer.valueOf(fd.getFileName().toString()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(path + " is not open"));
        }
    }

    private static Path linkTarget(Path fd) {
        try {
            return Files.readSymbolicLink(fd);
        } catch (IOException e) {
            // the descriptor Files.list itself used, closed by now
            return null;
        }
    }

    private static long drain(SocketChannel peer) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4 * 1024 * 1024);
        long total = 0;
        try {
            int n;
            while ((n = peer.read(buffer.clear())) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return total;
    }
}
