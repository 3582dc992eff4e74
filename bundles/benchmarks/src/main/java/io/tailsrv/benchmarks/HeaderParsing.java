package io.tailsrv.benchmarks;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.tailsrv.api.HeaderParser;
import io.tailsrv.api.OffsetProtocol;
import io.tailsrv.protocol.internal.DecimalOffsetProtocol;

/**
 * One client's header, parsed by a fresh parser as each connection gets one,
 * and the offset it asks for resolved against the file size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HeaderParsing {

    private final OffsetProtocol protocol = new DecimalOffsetProtocol();

    private final ByteBuffer typical = header("12345\n");
    private final ByteBuffer negative = header("-4096\n");
    /** The widest offset: a sign and 19 digits, each checked for overflow. */
    private final ByteBuffer widest = header("-9223372036854775808\n");
    /** The longest header the grammar allows: MAX_HEADER_BYTES before the newline. */
    private final ByteBuffer longest = header(
            "0".repeat(OffsetProtocol.MAX_HEADER_BYTES - 19) + Long.MAX_VALUE + "\n");
    /** {@code 12345\n} as six one-byte reads, a client writing byte by byte. */
    private final ByteBuffer[] byteByByte = "12345\n".chars()
            .mapToObj(c -> header(Character.toString(c)))
            .toArray(ByteBuffer[]::new);

    // fields, not constants, so that the JIT cannot fold resolve() away
    private long fromStart = 12345;
    private long fromEnd = -4096;
    private long fileSize = 1L << 30;

    /** Refuses to measure a parser that does not get these headers right. */
    @Setup
    public void check() {
        expect(12345, typical());
        expect(-4096, negative());
        expect(Long.MIN_VALUE, widest());
        expect(Long.MAX_VALUE, longest());
        expect(12345, byteByByte());
        expect((1L << 30) - 4096, resolveFromEnd());
    }

    @Benchmark
    public long typical() {
        return parse(typical);
    }

    @Benchmark
    public long negative() {
        return parse(negative);
    }

    @Benchmark
    public long widest() {
        return parse(widest);
    }

    @Benchmark
    public long longest() {
        return parse(longest);
    }

    @Benchmark
    public long byteByByte() {
        HeaderParser parser = protocol.newParser();
        for (ByteBuffer piece : byteByByte) {
            parser.feed(piece.rewind());
        }
        return complete(parser);
    }

    @Benchmark
    public long resolveFromStart() {
        return protocol.resolve(fromStart, fileSize);
    }

    @Benchmark
    public long resolveFromEnd() {
        return protocol.resolve(fromEnd, fileSize);
    }

    private long parse(ByteBuffer header) {
        HeaderParser parser = protocol.newParser();
        parser.feed(header.rewind());
        return complete(parser);
    }

    /** The offset, or a value no header gives, so that the status is used too. */
    private static long complete(HeaderParser parser) {
        return parser.status() == HeaderParser.Status.COMPLETE ? parser.requestedOffset() : Long.MIN_VALUE + 1;
    }

    private static ByteBuffer header(String text) {
        return ByteBuffer.wrap(text.getBytes(US_ASCII));
    }

    private static void expect(long expected, long actual) {
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + actual);
        }
    }
}
