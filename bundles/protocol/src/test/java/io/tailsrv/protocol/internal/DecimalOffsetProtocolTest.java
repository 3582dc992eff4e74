package io.tailsrv.protocol.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tailsrv.api.HeaderParser;
import io.tailsrv.api.HeaderParser.Status;
import io.tailsrv.api.OffsetProtocol;

class DecimalOffsetProtocolTest {

    private final OffsetProtocol protocol = new DecimalOffsetProtocol();

    @ParameterizedTest(name = "resolve({0}, {1}) = {2}")
    @CsvSource({
        "0, 100, 0",
        "5, 100, 5",
        "100, 100, 100",
        "150, 100, 150",
        "7, 0, 7",
        "9223372036854775807, 0, 9223372036854775807",
        "-1, 100, 99",
        "-100, 100, 0",
        "-101, 100, 0",
        "-1, 0, 0",
        "-1, 9223372036854775807, 9223372036854775806",
        "-9223372036854775807, 9223372036854775807, 0",
        "-9223372036854775808, 100, 0",
        "-9223372036854775808, 9223372036854775807, 0",
        "-9223372036854775808, 0, 0",
    })
    void resolvesFromTheStartOrBackFromTheEnd(long requested, long fileSize, long start) {
        assertEquals(start, protocol.resolve(requested, fileSize));
    }

    @Test
    void refusesANegativeFileSize() {
        assertThrows(IllegalArgumentException.class, () -> protocol.resolve(-1, -1));
    }

    @Test
    void givesEachConnectionItsOwnParser() {
        HeaderParser first = protocol.newParser();
        HeaderParser second = protocol.newParser();
        assertNotSame(first, second);

        first.feed(ByteBuffer.wrap("-3".getBytes(ISO_8859_1)));
        second.feed(ByteBuffer.wrap("44\n".getBytes(ISO_8859_1)));
        first.feed(ByteBuffer.wrap("\n".getBytes(ISO_8859_1)));

        assertEquals(Status.COMPLETE, first.status());
        assertEquals(-3, first.requestedOffset());
        assertEquals(44, second.requestedOffset());
    }

    @Test
    void serviceLoaderFindsIt() {
        OffsetProtocol found = ServiceLoader.load(OffsetProtocol.class).findFirst().orElseThrow();

        assertEquals(DecimalOffsetProtocol.class, found.getClass());
    }
}
