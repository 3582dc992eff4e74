package io.tailsrv.server.internal.handshake;

import java.nio.ByteBuffer;

import io.tailsrv.api.HeaderParser;
import io.tailsrv.api.OffsetProtocol;

/** The offset protocol's request: one header line, parsed by the {@link OffsetProtocol} service. */
final class OffsetRequestReader implements RequestReader {

    private final HeaderParser parser;

    OffsetRequestReader(OffsetProtocol protocol) {
        this.parser = protocol.newParser();
    }

    @Override
    public Progress feed(ByteBuffer in) {
        return switch (parser.feed(in)) {
            case COMPLETE -> Progress.DONE;
            case REJECTED -> Progress.REJECTED;
            case INCOMPLETE -> Progress.MORE;
        };
    }

    @Override
    public StreamRequest request() {
        return StreamRequest.offset(parser.requestedOffset());
    }

    @Override
    public String rejection() {
        return parser.rejection();
    }
}
