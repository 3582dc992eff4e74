package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Reading the file's size from tailsrv's answer to HEAD /. */
class SizeProbeTest {

    @Test
    void theSizeIsA200sContentLength() {
        assertEquals(1234, SizeProbe.contentLength("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + "content-length:  1234 \r\nConnection: close\r\n\r\n"));
        assertEquals(0, SizeProbe.contentLength("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    }

    @Test
    void anythingElseIsUnknown() {
        assertEquals(-1, SizeProbe.contentLength("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\n"));
        assertEquals(-1, SizeProbe.contentLength("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"));
        assertEquals(-1, SizeProbe.contentLength("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n"));
        assertEquals(-1, SizeProbe.contentLength("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n"));
        assertEquals(-1, SizeProbe.contentLength("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
    }
}
