package io.tailsrv.features;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLEngine;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;


/**
 * TLS in Karaf: io.tailsrv.tls wired to the BouncyCastle Karaf installs at
 * boot (its ssh feature's), and reading PEM through it. The API's types are
 * reached through the TLS bundle's class loader: a test bundle that imported
 * them would be refreshed with the API on the upgrade, its context lost.
 */
final class TlsInKaraf {

    private TlsInKaraf() {
    }

    static void assertReadsPem(BundleContext context, Set<String> addedByInstall) throws Exception {
        for (String bouncyCastle : List.of("bcprov", "bcutil", "bcpkix")) {
            assertFalse("installing tailsrv brought " + bouncyCastle + ": " + addedByInstall,
                    addedByInstall.contains(bouncyCastle));
            assertEquals("one " + bouncyCastle, 1, Arrays.stream(context.getBundles())
                    .filter(bundle -> bouncyCastle.equals(bundle.getSymbolicName())).count());
        }
        Bundle tls = Arrays.stream(context.getBundles())
                .filter(bundle -> "io.tailsrv.tls".equals(bundle.getSymbolicName())).findFirst().orElseThrow();
        int bouncyCastleWires = 0;
        for (BundleWire wire : tls.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (String.valueOf(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))
                    .startsWith("org.bouncycastle.")) {
                Bundle provider = wire.getProvider().getBundle();
                assertTrue("wired to the BouncyCastle Karaf had before tailsrv came: " + provider.getLocation(),
                        provider.getLocation().startsWith("mvn:org.bouncycastle/")
                                && provider.getBundleId() < tls.getBundleId());
                bouncyCastleWires++;
            }
        }
        assertTrue("io.tailsrv.tls imports BouncyCastle", bouncyCastleWires > 0);

        // a key and its certificate made by the JDK's keytool, written out as PEM files, as a CA gives them
        Path dir = Files.createTempDirectory("tailsrv-tls");
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=karaf",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "secret")
                .redirectErrorStream(true).start();
        String said = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(said, 0, keytool.waitFor());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "secret".toCharArray());
        }
        Path cert = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", keys.getCertificate("server").getEncoded()));
        Path key = Files.writeString(dir.resolve("key.pem"),
                pem("PRIVATE KEY", keys.getKey("server", "secret".toCharArray()).getEncoded()));

        // through the TLS bundle's view of the API: wired to it, this test's bundle would be refreshed with it
        Class<?> configType = tls.loadClass("io.tailsrv.api.TlsConfig");
        Method open = tls.loadClass("io.tailsrv.api.TlsContexts").getMethod("open", String.class, configType);
        Method newEngine = tls.loadClass("io.tailsrv.api.ServerTls").getMethod("newEngine", String.class, int.class);
        Constructor<?> config = configType.getConstructor(Path.class, Path.class, Path.class, String.class, Path.class,
                List.class);
        // getAllServiceReferences: a reference found by class name is checked against this bundle's view of the
        // class, and that check would import the API's package dynamically
        ServiceReference<?> reference = context.getAllServiceReferences("io.tailsrv.api.TlsContexts", null)[0];
        Object contexts = context.getService(reference);
        try {
            try (AutoCloseable server = (AutoCloseable) open.invoke(contexts, "karaf",
                    config.newInstance(cert, key, null, "", null, List.of()))) {
                SSLEngine engine = (SSLEngine) newEngine.invoke(server, "127.0.0.1", 1);
                assertEquals(List.of("TLSv1.3", "TLSv1.2"), List.of(engine.getEnabledProtocols()));
            }
            InvocationTargetException wrongPassword = assertThrows(InvocationTargetException.class,
                    () -> open.invoke(contexts, "karaf", config.newInstance(null, null, store, "wrong", null, List.of())));
            assertEquals("tls.keystore.password: wrong password for " + store, wrongPassword.getCause().getMessage());
        } finally {
            context.ungetService(reference);
        }
    }

    /** DER bytes as a PEM block. */
    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
