package io.tailsrv.benchmarks;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A temporary file that a writer appends records to, with a second channel
 * for reading as the server opens it. Closing it deletes it.
 */
final class GrowingFile implements AutoCloseable {

    /** About one log line. */
    static final int RECORD_BYTES = 64;

    private final Path path;
    private final FileChannel writer;
    private final FileChannel reader;
    private final ByteBuffer record = ByteBuffer.allocateDirect(RECORD_BYTES)
            .put(("x".repeat(RECORD_BYTES - 1) + "\n").getBytes(US_ASCII))
            .flip();
    private long end;

    GrowingFile() throws IOException {
        path = Files.createTempFile("tailsrv-fanout", ".log");
        writer = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        reader = FileChannel.open(path, StandardOpenOption.READ);
    }

    /** Appends one record; returns the new end of the file. */
    long append() throws IOException {
        writer.write(record.rewind());
        end += RECORD_BYTES;
        return end;
    }

    /** Empties the file, so that a long run does not fill the disk. */
    void empty() throws IOException {
        writer.truncate(0);
        end = 0;
    }

    FileChannel reader() {
        return reader;
    }

    @Override
    public void close() throws IOException {
        try (FileChannel w = writer; FileChannel r = reader) {
            Files.delete(path);
        }
    }
}
