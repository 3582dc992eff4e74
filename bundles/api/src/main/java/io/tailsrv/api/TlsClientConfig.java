package io.tailsrv.api;

import java.nio.file.Path;

/**
 * TLS towards an upstream: whom to trust, and who to be.
 *
 * @param ca PEM file of CAs the upstream's certificate must chain to; null for the JDK's own
 * @param cert PEM file: the relay's certificate chain, for an upstream that asks for one (mutual
 *        TLS); null for none
 * @param key PEM file: its private key; null exactly when {@code cert} is
 */
public record TlsClientConfig(Path ca, Path cert, Path key) {
}
