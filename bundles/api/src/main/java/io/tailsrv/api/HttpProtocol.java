package io.tailsrv.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * HTTP/1.1 on an instance's port, beside the offset protocol: a request
 * opens with an ASCII letter, which no offset header does. Only {@code GET}
 * and {@code HEAD} of {@code /}; no keep-alive: the response ends with the
 * connection.
 */
@ProviderType
public interface HttpProtocol {

    /** The longest request head (request line and headers, up to the blank line). */
    int MAX_HEAD_BYTES = 8192;

    /** A reader for one connection's request head. Readers are not thread-safe. */
    HttpRequestReader newReader();

    /**
     * A framer for one Server-Sent Events client whose stream starts at
     * byte {@code offset} of the file. Framers are not thread-safe.
     */
    EventFramer newFramer(long offset);
}
