package io.tailsrv.server.internal.handshake;

import java.nio.ByteBuffer;

import io.tailsrv.api.HttpProtocol;
import io.tailsrv.api.HttpRequestReader;
import io.tailsrv.api.HttpResponse;

/** An HTTP request head, read by the {@link HttpProtocol} service's reader; a refusal is answered with its error response. */
final class HttpRequestReading implements RequestReader {

    private final HttpRequestReader reader;

    HttpRequestReading(HttpProtocol protocol) {
        this.reader = protocol.newReader();
    }

    @Override
    public Progress feed(ByteBuffer in) {
        return switch (reader.feed(in)) {
            case COMPLETE -> Progress.DONE;
            case REJECTED -> Progress.REJECTED;
            case INCOMPLETE -> Progress.MORE;
        };
    }

    @Override
    public StreamRequest request() {
        return StreamRequest.http(reader.request());
    }

    @Override
    public String rejection() {
        HttpResponse response = reader.rejection();
        return response.status() + ": " + response.reason();
    }

    @Override
    public String rejectionKey() {
        return "http: " + reader.rejection().status();
    }

    @Override
    public ByteBuffer[] rejectionResponse() {
        HttpResponse response = reader.rejection();
        return response.body() == null ? new ByteBuffer[] {response.head()}
                : new ByteBuffer[] {response.head(), response.body()};
    }
}
