package io.tailsrv.tls.internal;

import static io.tailsrv.tls.internal.Pki.dns;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tailsrv.api.TlsConfig;
import io.tailsrv.tls.internal.Pki.Issued;
import io.tailsrv.tls.internal.Pki.Usage;

/** The certificates most tests share, made once per test run, and configurations naming files. */
final class TestCerts {

    static final Issued CA = Pki.ca("tailsrv test CA");
    static final Issued OTHER_CA = Pki.ca("another CA");
    static final Issued SERVER_EC = Pki.leaf(CA, Pki.ec(), Pki.cn("localhost"), Usage.SERVER, dns("localhost"));
    static final Issued SERVER_RSA = Pki.leaf(CA, Pki.rsa(), Pki.cn("localhost"), Usage.SERVER, dns("localhost"));
    static final Issued SERVER_EXPIRED = Pki.leaf(CA, Pki.ec(), Pki.cn("expired"), Usage.SERVER,
            Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)));
    static final Issued SERVER_NOT_YET_VALID = Pki.leaf(CA, Pki.ec(), Pki.cn("early"), Usage.SERVER,
            Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));

    private TestCerts() {
    }

    static TlsConfig pem(Path cert, Path key) {
        return new TlsConfig(cert, key, null, null, null, List.of());
    }

    static TlsConfig mutual(Path cert, Path key, Path clientCa, String... allow) {
        return new TlsConfig(cert, key, null, null, clientCa, List.of(allow));
    }

    static TlsConfig keystore(Path keystore, String password) {
        return new TlsConfig(null, null, keystore, password, null, List.of());
    }
}
