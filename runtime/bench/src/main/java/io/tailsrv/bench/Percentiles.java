package io.tailsrv.bench;

import java.util.Arrays;

/** The distribution of a set of samples, by nearest rank: no interpolation, every figure was measured. */
final class Percentiles {

    private final long[] sorted;

    Percentiles(long[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        this.sorted = samples.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /**
     * The smallest sample that at least {@code perMille} thousandths of the
     * samples do not exceed: 500 is the median, 999 the 99.9th percentile.
     * Thousandths, not a fraction, so that 0.9 * 10 cannot round to the 10th.
     */
    long atPerMille(int perMille) {
        if (perMille < 1 || perMille > 1000) {
            throw new IllegalArgumentException("per mille out of 1..1000: " + perMille);
        }
        long rank = ((long) perMille * sorted.length + 999) / 1000;
        return sorted[(int) rank - 1];
    }

    long min() {
        return sorted[0];
    }

    long max() {
        return sorted[sorted.length - 1];
    }
}
