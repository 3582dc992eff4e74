package io.tailsrv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfOneToAThousand() {
        // shuffled, to show that the samples are sorted
        Percentiles percentiles = new Percentiles(LongStream.rangeClosed(1, 1000).map(i -> (i * 389) % 1000 + 1)
                .toArray());
        assertEquals(1000, percentiles.count());
        assertEquals(500, percentiles.atPerMille(500));
        assertEquals(900, percentiles.atPerMille(900));
        assertEquals(990, percentiles.atPerMille(990));
        assertEquals(999, percentiles.atPerMille(999));
        assertEquals(1000, percentiles.atPerMille(1000));
        assertEquals(1, percentiles.min());
        assertEquals(1000, percentiles.max());
    }

    @Test
    void fewSamplesRoundUpToAMeasuredOne() {
        Percentiles ten = new Percentiles(new long[] {10, 20, 30, 40, 50, 60, 70, 80, 90, 100});
        assertEquals(50, ten.atPerMille(500));
        assertEquals(90, ten.atPerMille(900), "the 9th of 10, not the 10th");
        assertEquals(100, ten.atPerMille(990));
        assertEquals(10, ten.atPerMille(1));
        Percentiles one = new Percentiles(new long[] {7});
        assertEquals(7, one.atPerMille(500));
        assertEquals(7, one.atPerMille(999));
    }

    @Test
    void leavesTheCallersArrayAlone() {
        long[] samples = {3, 1, 2};
        new Percentiles(samples);
        assertEquals(3, samples[0]);
    }

    @Test
    void rejectsNoSamplesAndRanksOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new Percentiles(new long[0]));
        Percentiles percentiles = new Percentiles(new long[] {1});
        assertThrows(IllegalArgumentException.class, () -> percentiles.atPerMille(0));
        assertThrows(IllegalArgumentException.class, () -> percentiles.atPerMille(1001));
    }
}
