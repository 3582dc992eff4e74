package io.tailsrv.features;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/** Everything a terminal session printed, for waiting until it shows something. */
final class Transcript extends OutputStream {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
        notifyAll();
    }

    synchronized int size() {
        return bytes.size();
    }

    synchronized String text(int from) {
        byte[] all = bytes.toByteArray();
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** Waits until the text printed since {@code from} passes {@code test}, woken by each write. */
    synchronized String await(String what, int from, Predicate<String> test) throws InterruptedException {
        Deadline deadline = new Deadline(what);
        String text = text(from);
        while (!test.test(text)) {
            wait(deadline.remainingMillis());
            text = text(from);
        }
        return text;
    }
}
