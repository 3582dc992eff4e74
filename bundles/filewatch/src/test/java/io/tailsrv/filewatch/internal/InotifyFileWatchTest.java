package io.tailsrv.filewatch.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tailsrv.api.Watch;

class InotifyFileWatchTest {

    @TempDir
    Path dir;

    private final InotifyFileWatch fileWatch = new InotifyFileWatch();

    @BeforeEach
    void activate() throws IOException {
        fileWatch.activate();
    }

    @AfterEach
    void deactivate() {
        fileWatch.deactivate();
    }

    @Test
    void opensAnExistingFileWithItsSizeBeforeWatchReturns() throws Exception {
        Path file = write(dir.resolve("log"), "hello");
        RecordingListener listener = new RecordingListener();

        Watch watch = fileWatch.watch(file, listener);

        assertEquals("opened 5", listener.events.poll());
        assertEquals(file, watch.path());
        ByteBuffer read = ByteBuffer.allocate(16);
        listener.channel.read(read, 0);
        assertEquals("hello", new String(read.array(), 0, read.position(), US_ASCII));
    }

    @Test
    void reportsGrowth() throws Exception {
        Path file = write(dir.resolve("log"), "hello");
        RecordingListener listener = watchOpened(file, "opened 5");

        append(file, "abc");

        assertEquals("grew 8", listener.next());
    }

    @Test
    void quickAppendsMayCoalesceButTheFinalSizeIsReported() throws Exception {
        Path file = write(dir.resolve("log"), "");
        RecordingListener listener = watchOpened(file, "opened 0");

        for (int i = 0; i < 200; i++) {
            append(file, "0123456789");
        }

        long last = 0;
        while (last < 2000) {
            String event = listener.next();
            assertTrue(event.startsWith("grew "), event);
            long size = Long.parseLong(event.substring("grew ".length()));
            assertTrue(size > last, event + " after " + last);
            last = size;
        }
        assertEquals(2000, last);
        listener.expectNothing();
    }

    @Test
    void reportsTruncationToSmallerAndToZero() throws Exception {
        Path file = write(dir.resolve("log"), "0123456789");
        RecordingListener listener = watchOpened(file, "opened 10");

        truncate(file, 4);
        assertEquals("truncated 4", listener.next());

        truncate(file, 0);
        assertEquals("truncated 0", listener.next());

        append(file, "ab");
        assertEquals("grew 2", listener.next());
    }

    @Test
    void reportsDeletionThenGrowthThroughAWriterStillOpen() throws Exception {
        Path file = write(dir.resolve("log"), "hello");
        try (FileChannel writer = FileChannel.open(file, StandardOpenOption.APPEND)) {
            RecordingListener listener = watchOpened(file, "opened 5");

            Files.delete(file);
            assertEquals("gone DELETED", listener.next());

            writer.write(ByteBuffer.wrap("abc".getBytes(US_ASCII)));
            assertEquals("grew 8", listener.next());
        }
    }

    @Test
    void reportsAMove() throws Exception {
        Path file = write(dir.resolve("log"), "hello");
        RecordingListener listener = watchOpened(file, "opened 5");

        Path moved = dir.resolve("log.1");
        Files.move(file, moved);
        assertEquals("gone MOVED", listener.next());

        append(moved, "abc");
        assertEquals("grew 8", listener.next());
    }

    @Test
    void opensAFileCreatedLater() throws Exception {
        Path file = dir.resolve("log");
        RecordingListener listener = new RecordingListener();
        fileWatch.watch(file, listener);
        assertNull(listener.events.poll());

        write(file, "hello");

        listener.expectOpenedReaching(5);
        append(file, "abc");
        assertEquals("grew 8", listener.next());
    }

    @Test
    void opensAFileRenamedIntoPlace() throws Exception {
        Path file = dir.resolve("log");
        RecordingListener listener = new RecordingListener();
        fileWatch.watch(file, listener);

        Path temporary = write(dir.resolve("log.tmp"), "hello!");
        listener.expectNothing();
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);

        assertEquals("opened 6", listener.next());
    }

    @Test
    void opensAFileWhoseDirectoriesAreCreatedLater() throws Exception {
        Path file = dir.resolve("a/b/c/log");
        RecordingListener listener = new RecordingListener();
        fileWatch.watch(file, listener);

        Files.createDirectories(file.getParent());
        listener.expectNothing();
        write(file, "hello");

        listener.expectOpenedReaching(5);
    }

    @Test
    void walksUpAgainWhenTheDirectoryWaitedInIsDeleted() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = sub.resolve("log");
        RecordingListener listener = new RecordingListener();
        fileWatch.watch(file, listener);

        Files.delete(sub);
        listener.expectNothing();
        Files.createDirectory(sub);
        write(file, "hi");

        listener.expectOpenedReaching(2);
    }

    @Test
    void failsOnADirectory() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("logs"));
        RecordingListener listener = new RecordingListener();

        fileWatch.watch(directory, listener);

        assertEquals("failed " + directory + " is a directory", listener.events.poll());
        listener.expectNothing();
    }

    @Test
    void failsOnAFifo() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        RecordingListener listener = new RecordingListener();

        fileWatch.watch(fifo, listener);

        assertEquals("failed " + fifo + " is a named pipe (FIFO)", listener.events.poll());
    }

    @Test
    void failsWhenAnAncestorIsAFile() throws Exception {
        Path file = write(dir.resolve("log"), "hello");
        RecordingListener listener = new RecordingListener();

        fileWatch.watch(file.resolve("log"), listener);

        assertEquals("failed " + file.resolve("log") + ": Not a directory", listener.events.poll());
    }

    @Test
    void twoWatchesOfOnePathAreIndependent() throws Exception {
        Path file = write(dir.resolve("log"), "hello");
        RecordingListener first = watchOpened(file, "opened 5");
        RecordingListener second = new RecordingListener();
        Watch secondWatch = fileWatch.watch(file, second);
        assertEquals("opened 5", second.next());

        append(file, "a");
        assertEquals("grew 6", first.next());
        assertEquals("grew 6", second.next());

        secondWatch.close();
        append(file, "b");
        assertEquals("grew 7", first.next());
        second.expectNothing();
    }

    @Test
    void aThousandWatchesWaitingInOneDirectoryAllOpen() throws Exception {
        long start = System.nanoTime();
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            RecordingListener listener = new RecordingListener();
            fileWatch.watch(dir.resolve("log" + i), listener);
            listeners.add(listener);
        }
        for (int i = 0; i < 1000; i++) {
            write(dir.resolve("log" + i), "x".repeat(i));
        }
        for (int i = 0; i < 1000; i++) {
            listeners.get(i).expectOpenedReaching(i);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 3000, "took " + millis + " ms");
        assertEquals(1, inotifyThreads());
    }

    @Test
    void closeStopsReportsAndClosesTheChannel() throws Exception {
        Path file = write(dir.resolve("log"), "hello");
        RecordingListener listener = new RecordingListener();
        Watch watch = fileWatch.watch(file, listener);
        assertEquals("opened 5", listener.next());

        watch.close();
        watch.close();

        assertFalse(listener.channel.isOpen());
        append(file, "abc");
        listener.expectNothing();
    }

    @Test
    void aListenerMayCloseItsWatchFromACallback() throws Exception {
        Path file = write(dir.resolve("log"), "hello");
        Watch[] watch = new Watch[1];
        RecordingListener listener = new RecordingListener() {
            @Override
            public void grew(long size) {
                super.grew(size);
                watch[0].close();
            }
        };
        watch[0] = fileWatch.watch(file, listener);
        assertEquals("opened 5", listener.next());

        append(file, "a");
        assertEquals("grew 6", listener.next());
        append(file, "b");
        listener.expectNothing();
        assertFalse(listener.channel.isOpen());
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthers() throws Exception {
        Path file = write(dir.resolve("log"), "hello");
        RecordingListener throwing = new RecordingListener() {
            @Override
            public void grew(long size) {
                super.grew(size);
                throw new IllegalStateException("listener failure expected by the test");
            }
        };
        fileWatch.watch(file, throwing);
        RecordingListener other = watchOpened(file, "opened 5");
        assertEquals("opened 5", throwing.next());

        append(file, "a");
        assertEquals("grew 6", throwing.next());
        assertEquals("grew 6", other.next());
        append(file, "b");
        assertEquals("grew 7", throwing.next());
        assertEquals("grew 7", other.next());
    }

    @Test
    void aListenerMayStartAWatchFromACallback() throws Exception {
        Path other = write(dir.resolve("other"), "hello");
        RecordingListener otherListener = new RecordingListener();
        RecordingListener listener = new RecordingListener() {
            @Override
            public void opened(FileChannel file, long size) {
                super.opened(file, size);
                try {
                    fileWatch.watch(other, otherListener);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        fileWatch.watch(dir.resolve("log"), listener);

        write(dir.resolve("log"), "");

        assertEquals("opened 0", listener.next());
        assertEquals("opened 5", otherListener.next());
        append(other, "a");
        assertEquals("grew 6", otherListener.next());
    }

    @Test
    void looksAtEveryWatchAgainWhenEventsWereLost() throws Exception {
        Path busy = write(dir.resolve("busy"), "");
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener blocking = new RecordingListener() {
            @Override
            public void grew(long size) {
                super.grew(size);
                blocked.countDown();
                awaitQuietly(release);
            }
        };
        fileWatch.watch(busy, blocking);
        Path crowded = Files.createDirectory(dir.resolve("crowded"));
        RecordingListener listener = new RecordingListener();
        fileWatch.watch(crowded.resolve("log"), listener);

        append(busy, "a");
        assertTrue(blocked.await(RecordingListener.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        // More creations than the kernel queues, while the inotify thread is held up.
        // (readAllLines: readString reads only the first byte of this sysctl file)
        int queueLimit = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/fs/inotify/max_queued_events")).get(0));
        for (int i = 0; i <= queueLimit; i++) {
            Files.createFile(crowded.resolve("noise" + i));
        }
        write(crowded.resolve("log"), "hello");
        release.countDown();

        assertEquals("opened 5", listener.next());
    }

    @Test
    void oneThreadServesEveryWatchAndDeactivateStopsIt() throws Exception {
        for (int i = 0; i < 50; i++) {
            write(dir.resolve("log" + i), "x");
            fileWatch.watch(dir.resolve("log" + i), new RecordingListener());
            fileWatch.watch(dir.resolve("absent" + i), new RecordingListener());
        }
        assertEquals(1, inotifyThreads());

        fileWatch.deactivate();

        assertEquals(0, inotifyThreads());
        assertThrows(IOException.class, () -> fileWatch.watch(dir.resolve("log0"), new RecordingListener()));
    }

    @Test
    void deactivateClosesEveryWatch() throws Exception {
        Path file = write(dir.resolve("log"), "hello");
        RecordingListener listener = watchOpened(file, "opened 5");

        fileWatch.deactivate();

        assertFalse(listener.channel.isOpen());
    }

    private RecordingListener watchOpened(Path file, String expected) throws Exception {
        RecordingListener listener = new RecordingListener();
        fileWatch.watch(file, listener);
        assertEquals(expected, listener.next());
        return listener;
    }

    /**
     * Growth of several files found in one read of the kernel's queue is
     * reported file by file, then each listener hears that the read is done:
     * a listener handing work to other threads can hand it over once.
     */
    @Test
    void reportsOfOneReadEndWithReportsDoneForEachListener() throws Exception {
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Path gate = write(dir.resolve("gate"), "");
        Path a = write(dir.resolve("a"), "");
        Path b = write(dir.resolve("b"), "");
        RecordingListener gateListener = new RecordingListener() {
            @Override
            public void grew(long size) {
                blocked.countDown();
                awaitQuietly(release); // holds the watch's thread while a and b grow
            }
        };
        try (Watch g = fileWatch.watch(gate, gateListener);
                Watch wa = fileWatch.watch(a, recordingInto(calls, "a"));
                Watch wb = fileWatch.watch(b, recordingInto(calls, "b"))) {
            append(gate, "x");
            assertTrue(blocked.await(5, TimeUnit.SECONDS));
            append(a, "1");
            append(b, "22");
            calls.clear(); // the opened reports and their reads are not what is tested
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (calls.size() < 4 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
            assertEquals(List.of("a grew 1", "b grew 2", "a done", "b done"), List.copyOf(calls));
        }
    }

    private static io.tailsrv.api.FileListener recordingInto(List<String> calls, String name) {
        return new RecordingListener() {
            @Override
            public void grew(long size) {
                calls.add(name + " grew " + size);
            }

            @Override
            public void reportsDone() {
                calls.add(name + " done");
            }
        };
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long inotifyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("tailsrv-inotify"))
                .count();
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text, US_ASCII);
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, US_ASCII, StandardOpenOption.APPEND);
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }
}
