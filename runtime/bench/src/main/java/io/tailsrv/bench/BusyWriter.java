package io.tailsrv.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The busy writer: appends a {@link NumberedRecord} to every file,
 * {@code rate} times a second to each, file after file at evenly spaced
 * moments (not all files at once), first {@code warmRecords} to each, which
 * are not counted, then {@code countedRecords}. Its pacing is part of what
 * is measured, so it is reported: {@link #achievedRate}.
 */
final class BusyWriter extends Thread implements AutoCloseable {

    /**
     * Behind its schedule by more than this (the machine was busy), it goes
     * on from now rather than append the backlog in a burst, as compare.py's
     * load generator does: the run then takes longer, at a lower rate.
     */
    private static final long MAX_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Called on the writer's thread just before the first counted append: to read the clocks the window needs. */
    @FunctionalInterface
    interface MeasureStartHook {
        void run() throws IOException;
    }

    private final List<Path> files;
    private final FileChannel[] channels;
    private final int warmRecords;
    private final int countedRecords;
    private final double gapNanos;
    private final long origin;
    private final MeasureStartHook atMeasureStart;

    private volatile long measureStart = -1; // System.nanoTime() of the first counted append's schedule
    private volatile long lastAppend = -1;
    private volatile boolean finished;
    private volatile String failure;

    /**
     * Opens every file to append to (here, on the caller's thread, so that a
     * file it cannot open fails the run before any client connects).
     *
     * @param origin what record times count from: the readers subtract them from their own
     */
    BusyWriter(List<Path> files, int rate, int warmRecords, int countedRecords, long origin,
            MeasureStartHook atMeasureStart)
            throws BenchFailure {
        super("tailsrv-bench-writer");
        setDaemon(true);
        this.files = files;
        this.channels = new FileChannel[files.size()];
        this.warmRecords = warmRecords;
        this.countedRecords = countedRecords;
        this.gapNanos = 1e9 / ((double) rate * files.size());
        this.origin = origin;
        this.atMeasureStart = atMeasureStart;
        for (int f = 0; f < channels.length; f++) {
            try {
                channels[f] = FileChannel.open(files.get(f), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                close();
                throw new BenchFailure("cannot append to " + files.get(f) + ": " + e);
            }
        }
    }

    @Override
    public void run() {
        int fileCount = channels.length;
        long total = (long) (warmRecords + countedRecords) * fileCount;
        ByteBuffer record = ByteBuffer.allocate(NumberedRecord.LENGTH);
        try {
            double due = System.nanoTime();
            for (long k = 0; k < total && !isInterrupted(); k++) {
                if (k == (long) warmRecords * fileCount) {
                    atMeasureStart.run();
                    measureStart = System.nanoTime();
                    due = measureStart; // the counted appends start on time, however long the hook took
                }
                awaitNanoTime((long) due);
                int file = (int) (k % fileCount);
                record.clear();
                record.put(NumberedRecord.encode(System.nanoTime() - origin, k / fileCount)).flip();
                append(file, record);
                lastAppend = System.nanoTime();
                due += gapNanos;
                if (lastAppend > due + MAX_LAG_NANOS) {
                    due = lastAppend;
                }
            }
        } catch (ClosedByInterruptException e) {
            // stopped: the run failed elsewhere
        } catch (IOException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            failure = "the writer failed: " + e; // not left for the reader to find as records missing
        } finally {
            finished = true;
        }
    }

    private void append(int file, ByteBuffer record) throws IOException {
        try {
            while (record.hasRemaining()) {
                channels[file].write(record);
            }
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot append to " + files.get(file) + ": " + e, e);
        }
    }

    private void awaitNanoTime(long due) {
        for (long left = due - System.nanoTime(); left > 0 && !isInterrupted(); left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** Whether it has appended its last record, or stopped. */
    boolean finished() {
        return finished;
    }

    /** System.nanoTime() of its last append; -1 before the first. */
    long lastAppend() {
        return lastAppend;
    }

    /** System.nanoTime() when the counted appends began; -1 before. */
    long measureStart() {
        return measureStart;
    }

    /**
     * Appends a second to each file over the counted part, as achieved: the
     * time from the first counted append to the last, plus one gap (so that
     * a perfect schedule gives the rate asked for exactly).
     */
    double achievedRate() {
        double seconds = (lastAppend - measureStart + gapNanos) / 1e9;
        return countedRecords / seconds;
    }

    /** Fails the run if appending failed. */
    void rethrow() throws BenchFailure {
        String message = failure;
        if (message != null) {
            throw new BenchFailure(message);
        }
    }

    @Override
    public void close() {
        for (FileChannel channel : channels) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // only appends went through it, each written at once
            }
        }
    }
}
