package io.tailsrv.http.internal;

import io.tailsrv.api.LogText;

/**
 * A request line as read: {@code METHOD SP request-target SP HTTP/major.minor}.
 *
 * @param method the method, as sent (methods are case-sensitive)
 * @param target the request-target, as sent (visible ASCII only)
 * @param major the HTTP major version
 * @param minor the HTTP minor version
 * @param quoted the whole line, escaped and quoted for the log
 */
record RequestLine(String method, String target, int major, int minor, String quoted) {

    boolean isHead() {
        return method.equals("HEAD");
    }

    /** The method and target, escaped for a log line: {@code GET /?offset=-100}. */
    String forLog() {
        return LogText.escape(method + " " + target);
    }
}
