package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The page a browser gets: {@code viewer.html}, a resource of this bundle,
 * read once. Its one inline script and one inline style are allowed by
 * their SHA-256 hashes in its {@code Content-Security-Policy}, computed here
 * from the page itself, so that editing the page cannot leave a stale
 * hash; nothing else may run, load or connect but to this origin.
 */
final class ViewerPage {

    private static final String RESOURCE = "viewer.html";

    private final ByteBuffer body;
    private final String contentSecurityPolicy;

    private ViewerPage(byte[] page) {
        String text = new String(page, UTF_8);
        this.body = ByteBuffer.wrap(page).asReadOnlyBuffer();
        this.contentSecurityPolicy = "default-src 'none'; script-src " + hashOf(text, "script")
                + "; style-src " + hashOf(text, "style")
                + "; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    static ViewerPage load() {
        try (InputStream in = ViewerPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the bundle");
            }
            return new ViewerPage(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page, positioned at its start: a buffer of its own for each response. */
    ByteBuffer body() {
        return body.duplicate();
    }

    int length() {
        return body.capacity();
    }

    String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /** {@code 'sha256-...'} of the text of the page's one {@code <element>}, as CSP hashes it (its UTF-8). */
    private static String hashOf(String page, String element) {
        String open = "<" + element + ">";
        String close = "</" + element + ">";
        int start = page.indexOf(open);
        int end = page.indexOf(close);
        if (start < 0 || end < start || page.indexOf(open, start + 1) >= 0) {
            throw new IllegalStateException(RESOURCE + " must have exactly one <" + element + "> without attributes");
        }
        String text = page.substring(start + open.length(), end);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
