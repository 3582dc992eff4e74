package io.tailsrv.tls.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * TLS over loopback: a listening socket whose connections are served by
 * engines of the code under test ({@link ServerEnd}), and the JDK's
 * {@link SSLSocket} as the client, on a thread of its own, so that both
 * sides of a handshake run at once.
 */
final class Loopback implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ServerSocket listener;

    Loopback() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        listener.setSoTimeout((int) TIMEOUT.toMillis());
    }

    int port() {
        return listener.getLocalPort();
    }

    InetAddress listenerAddress() {
        return listener.getInetAddress();
    }

    /** The client's end: its socket after the handshake, or why the handshake failed there. */
    record Client(SSLSocket socket, Exception failure) {

        /** The server's certificate, as the client saw it. */
        X509Certificate serverCertificate() throws IOException {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }

        /** Reads {@code length} bytes of application data. */
        String read(int length) throws IOException {
            InputStream in = socket.getInputStream();
            byte[] bytes = in.readNBytes(length);
            return new String(bytes, US_ASCII);
        }
    }

    /** Both ends of one connection; the server's is null when its handshake failed, with the failure. */
    record Connection(Client client, ServerEnd server, SSLException serverFailure) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            if (server != null) {
                server.close();
            }
            if (client.socket() != null) {
                client.socket().close();
            }
        }
    }

    /**
     * Connects a client made by {@code clientContext}, {@code configure}d,
     * and serves it with the engine {@code engines} makes for the accepted
     * socket; both handshakes are run.
     */
    Connection connect(Function<Socket, SSLEngine> engines, SSLContext clientContext, Consumer<SSLSocket> configure)
            throws IOException, InterruptedException {
        CompletableFuture<Client> client = CompletableFuture.supplyAsync(() -> {
            SSLSocket socket = null;
            try {
                socket = (SSLSocket) clientContext.getSocketFactory().createSocket(listener.getInetAddress(), port());
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                configure.accept(socket);
                socket.startHandshake();
                return new Client(socket, null);
            } catch (IOException e) {
                return new Client(socket, e);
            }
        });
        ServerEnd server = null;
        SSLException failure = null;
        try {
            server = accept(engines);
        } catch (SSLException e) {
            failure = e;
        }
        try {
            return new Connection(client.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), server, failure);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the client did not finish its handshake", e);
        }
    }

    /** Accepts a connection and runs the server's handshake on it. */
    ServerEnd accept(Function<Socket, SSLEngine> engines) throws IOException {
        Socket socket = listener.accept();
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        ServerEnd server = new ServerEnd(socket, engines.apply(socket));
        server.handshake();
        return server;
    }

    /** A new engine of {@code tls} for each connection, as the server makes them. */
    static Function<Socket, SSLEngine> enginesOf(io.tailsrv.api.ServerTls tls) {
        return socket -> {
            InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
            return tls.newEngine(peer.getHostString(), peer.getPort());
        };
    }

    /** A client context that trusts {@code ca}, and presents {@code identity} when asked for a certificate (if not null). */
    static SSLContext clientContext(Pki.Issued ca, Pki.Issued identity) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            if (identity != null) {
                own.setKeyEntry("client", identity.key(), "x".toCharArray(),
                        new X509Certificate[] {identity.certificate()});
            }
            keys.init(own, "x".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trusting(ca), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client context that trusts {@code ca} and presents {@code identity}
     * whatever CAs the server says it accepts, as curl and openssl do (the
     * JDK's own key manager offers none the server did not name).
     */
    static SSLContext pushyClientContext(Pki.Issued ca, Pki.Issued identity) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new Presenting(identity)}, trusting(ca), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrustManager[] trusting(Pki.Issued ca) throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        return trust.getTrustManagers();
    }

    /** A client's key manager with one certificate, always offered. */
    private static final class Presenting extends X509ExtendedKeyManager {

        private static final String ALIAS = "client";
        private final Pki.Issued identity;

        Presenting(Pki.Issued identity) {
            this.identity = identity;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {identity.certificate()};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return identity.key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
