package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.HeaderParser.Status;
import io.tailsrv.api.HttpProtocol;
import io.tailsrv.api.HttpRequestReader;
import io.tailsrv.api.HttpResponse;

class HttpFileProtocolTest {

    @Test
    void serviceLoaderFindsIt() {
        HttpProtocol found = ServiceLoader.load(HttpProtocol.class).findFirst().orElseThrow();

        assertEquals(HttpFileProtocol.class, found.getClass());
    }

    @Test
    void givesReadersAndFramersOfTheirOwn() {
        HttpProtocol protocol = new HttpFileProtocol();

        assertNotSame(protocol.newReader(), protocol.newReader());
        assertNotSame(protocol.newFramer(0), protocol.newFramer(0));
    }

    @Test
    void datesResponsesByTheSystemClock() {
        long before = System.currentTimeMillis() / 1000 * 1000;
        HttpRequestReader reader = new HttpFileProtocol().newReader();
        assertEquals(Status.COMPLETE, reader.feed(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(US_ASCII))));
        HttpResponse answer = reader.request().respond(0, Exchange.TEXT);
        String date = Exchange.text(answer.head()).lines().filter(line -> line.startsWith("Date: ")).findFirst()
                .orElseThrow().substring(6);

        long at = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        assertTrue(at >= before && at <= System.currentTimeMillis(), date);
    }
}
