package io.tailsrv.tls.internal;

import java.io.IOException;
import java.net.InetAddress;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A Java client offering old protocol versions, one handshake for each
 * argument after the loopback port (a version, or versions separated by
 * commas: {@code SSLv2Hello,TLSv1} sends TLS 1.0's ClientHello in SSLv2's
 * format).
 * Java 17 disables TLS 1.0, 1.1 and SSLv3 for the whole JVM
 * ({@code jdk.tls.disabledAlgorithms}, read once), so the test runs this in
 * a JVM of its own whose security properties enable them.
 */
public final class OldProtocolClient {

    private OldProtocolClient() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        for (int i = 1; i < args.length; i++) {
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    port)) {
                socket.setEnabledProtocols(args[i].split(","));
                socket.startHandshake();
                System.out.println(args[i] + ": handshake done");
            } catch (IOException e) {
                System.out.println(args[i] + ": " + e);
            }
        }
    }
}
