package io.tailsrv.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Frames one client's stream of file bytes as Server-Sent Events: one
 * event per line, {@code id:} the byte offset just after that line, so
 * that a browser's EventSource, reconnecting with {@code Last-Event-ID},
 * resumes exactly after the last line it got.
 */
@ProviderType
public interface EventFramer {

    /**
     * Frames the complete lines of {@code file} (file bytes from the
     * framer's current offset on) into {@code out}, as many as fit.
     * A line not yet ended waits for its newline (a line longer than
     * {@code out} can hold is cut where it is full). Advances the framer's
     * offset by the file bytes framed.
     *
     * @return the file bytes framed, 0 if none (no complete line, or no room)
     */
    int frame(ByteBuffer file, ByteBuffer out);

    /** The offset in the file of the next byte to frame. */
    long offset();
}
