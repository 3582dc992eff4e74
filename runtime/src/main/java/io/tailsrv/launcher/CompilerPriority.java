package io.tailsrv.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Runs the JIT compiler's threads at the lowest CPU priority (nice 19).
 *
 * <p>For its first seconds a JVM compiles hot code in the background. On a
 * small machine those compiler threads take the CPUs that the threads
 * serving clients need when an append arrives, and the scheduler lets a
 * running compiler finish its slice first: measured on 2 cores, that made
 * the 99th percentile of append-to-delivery latency in the first seconds
 * 4 to 5 times the median. Niced, a compiler thread gives way at once and
 * compiles in the gaps instead. (HotSpot's own -XX:CompilerThreadPriority
 * needs -XX:ThreadPriorityPolicy=1, which warns unless run as root.)
 *
 * <p>Lowering one's own priority needs no privilege. Later compiler threads
 * are started by a compiler thread, and inherit its priority.
 */
final class CompilerPriority {

    private static final int PRIO_PROCESS = 0;
    private static final int LOWEST = 19;

    private CompilerPriority() {
    }

    /**
     * Lowers the compiler threads' priority on a thread of its own, so that
     * loading JNA for it overlaps the framework's start instead of delaying
     * it (JNA is loaded for the bundles anyway).
     */
    static void lowerInBackground() {
        Thread thread = new Thread(CompilerPriority::lower, "tailsrv-compiler-priority");
        thread.setDaemon(true);
        thread.start();
    }

    static void lower() {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                if (isCompiler(Files.readString(task.resolve("comm")))) {
                    Calls.setpriority(PRIO_PROCESS, Integer.parseInt(task.getFileName().toString()), LOWEST);
                }
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            // No /proc, or no JNA: the compiler keeps its priority, which costs latency, not correctness.
        }
    }

    /** HotSpot names them "C1 CompilerThread0", "C2 CompilerThread1"... (comm keeps 15 characters). */
    static boolean isCompiler(String comm) {
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    /** setpriority(2), bound with JNA direct mapping. */
    private static final class Calls {
        static {
            Native.register(Calls.class, Platform.C_LIBRARY_NAME);
        }

        static native int setpriority(int which, int who, int prio);
    }
}
