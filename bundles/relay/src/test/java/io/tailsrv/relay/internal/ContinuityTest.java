package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The window: read back from the file's end, compared with what arrives in pieces of any size. */
class ContinuityTest {

    @TempDir
    Path dir;

    @Test
    void theWindowIsTheFilesLast4096BytesComparedPieceByPiece() throws Exception {
        byte[] stream = RelayTestSupport.randomBytes(10_000, 50);
        try (RelayFile file = RelayFile.open(Files.write(dir.resolve("f"), stream))) {
            Continuity continuity = Continuity.of(file);
            assertEquals(10_000 - 4096, continuity.start());
            assertEquals(4096, continuity.length());

            int offset = (int) continuity.start();
            for (int piece : new int[] {1, 1000, 3000}) {
                ByteBuffer received = ByteBuffer.wrap(stream, offset, piece);
                assertEquals(-1, continuity.check(received));
                assertFalse(received.hasRemaining());
                offset += piece;
            }
            assertEquals(4001, continuity.checked());
            ByteBuffer last = ByteBuffer.wrap(Arrays.copyOfRange(stream, offset, offset + 200));
            assertEquals(-1, continuity.check(last));
            assertTrue(continuity.complete());
            assertEquals(105, last.remaining(), "what follows the window is left to append");
        }
    }

    @Test
    void aDifferenceIsNamedByItsOffsetAndNothingIsTaken() throws Exception {
        byte[] stream = RelayTestSupport.randomBytes(5000, 51);
        try (RelayFile file = RelayFile.open(Files.write(dir.resolve("f"), stream))) {
            Continuity continuity = Continuity.of(file);
            byte[] arriving = Arrays.copyOfRange(stream, 904, 5000);
            arriving[2000] ^= (byte) 0x80;
            ByteBuffer received = ByteBuffer.wrap(arriving);

            assertEquals(904 + 2000, continuity.check(received));

            assertEquals(0, received.position());
            assertEquals(0, continuity.checked());
        }
    }

    @Test
    void anEmptyFileHasNothingToCheck() throws Exception {
        try (RelayFile file = RelayFile.open(dir.resolve("new"))) {
            Continuity continuity = Continuity.of(file);
            assertEquals(0, continuity.start());
            assertTrue(continuity.complete());
        }
    }
}
