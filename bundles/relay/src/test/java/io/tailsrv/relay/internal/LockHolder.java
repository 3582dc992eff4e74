package io.tailsrv.relay.internal;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another process, for the lock's tests: tries to lock the file named on
 * its command line as a relay does, says "locked" or "refused", and holds
 * what it got until its standard input ends.
 */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            System.out.println(lock == null ? "refused" : "locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // holding
            }
        }
    }
}
