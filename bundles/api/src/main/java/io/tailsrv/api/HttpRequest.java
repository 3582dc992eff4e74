package io.tailsrv.api;

import org.osgi.annotation.versioning.ProviderType;

/** One parsed request, answered once the file's size is known. */
@ProviderType
public interface HttpRequest {

    /** The request line, escaped for a log line ({@code GET /?offset=-100}). */
    String line();

    /**
     * The answer, now that the file's size is known.
     *
     * @param fileSize the file's size, or -1 while there is no file (the path does not exist yet)
     * @param contentType the instance's {@code http.content.type}
     * @return what to send: a head, then file bytes (as they are, or as events), or a fixed body
     */
    HttpResponse respond(long fileSize, String contentType);
}
