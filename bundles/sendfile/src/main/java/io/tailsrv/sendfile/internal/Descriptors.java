package io.tailsrv.sendfile.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file descriptors behind JDK socket and file channels, for the system
 * calls NIO does not make, or makes with more around them than needed
 * (poll for a reset; sendfile without transferTo's fstat and bookkeeping).
 * NIO keeps them in private fields of {@code sun.nio.ch.SocketChannelImpl}
 * and {@code sun.nio.ch.FileChannelImpl}; they are read through
 * {@code sun.misc.Unsafe} (module {@code jdk.unsupported}, open to all),
 * which needs no {@code --add-opens} in Felix, in Karaf, or in a plain JVM.
 * The classes are looked up in the platform class loader, around the OSGi
 * class space, which does not export {@code sun.*}.
 *
 * <p>Should a JDK lay that field out otherwise, {@link #available()} is
 * false, and callers do without.
 */
final class Descriptors {

    private static final Logger LOG = LoggerFactory.getLogger(Descriptors.class);
    private static final Class<?> SOCKET_CHANNEL;
    private static final Class<?> FILE_CHANNEL;
    /** {@code Unsafe.getInt(Object, long)} and {@code getObject}, bound to the Unsafe instance. */
    private static final MethodHandle GET_INT;
    private static final MethodHandle GET_OBJECT;
    /** SocketChannelImpl.fdVal, FileChannelImpl.fd (a FileDescriptor), FileDescriptor.fd. */
    private static final long SOCKET_FD_OFFSET;
    private static final long FILE_FD_OFFSET;
    private static final long DESCRIPTOR_FD_OFFSET;

    static {
        Class<?> socketChannel = null;
        Class<?> fileChannel = null;
        MethodHandle getInt = null;
        MethodHandle getObject = null;
        long[] offsets = {-1, -1, -1};
        try {
            ClassLoader platform = ClassLoader.getPlatformClassLoader();
            Class<?> unsafeClass = platform.loadClass("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            Object unsafe = theUnsafe.get(null);
            socketChannel = platform.loadClass("sun.nio.ch.SocketChannelImpl");
            fileChannel = platform.loadClass("sun.nio.ch.FileChannelImpl");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle offset = lookup.findVirtual(unsafeClass, "objectFieldOffset",
                    MethodType.methodType(long.class, Field.class)).bindTo(unsafe);
            offsets[0] = (long) offset.invoke(socketChannel.getDeclaredField("fdVal"));
            offsets[1] = (long) offset.invoke(fileChannel.getDeclaredField("fd"));
            offsets[2] = (long) offset.invoke(FileDescriptor.class.getDeclaredField("fd"));
            getInt = lookup.findVirtual(unsafeClass, "getInt",
                    MethodType.methodType(int.class, Object.class, long.class)).bindTo(unsafe);
            getObject = lookup.findVirtual(unsafeClass, "getObject",
                    MethodType.methodType(Object.class, Object.class, long.class)).bindTo(unsafe);
        } catch (Throwable e) { // any failure means: not on this JVM
            LOG.debug("channel descriptors are out of reach on this JVM: {}", e.toString());
            getInt = null;
            getObject = null;
        }
        SOCKET_CHANNEL = socketChannel;
        FILE_CHANNEL = fileChannel;
        GET_INT = getInt;
        GET_OBJECT = getObject;
        SOCKET_FD_OFFSET = offsets[0];
        FILE_FD_OFFSET = offsets[1];
        DESCRIPTOR_FD_OFFSET = offsets[2];
        customizeNow();
    }

    /** Calls of a method handle before the JDK customizes it (MethodHandleStatics.CUSTOMIZE_THRESHOLD, plus one). */
    private static final int CUSTOMIZED_AFTER = 128;

    /**
     * Makes the JDK customize the two method handles now, at class
     * initialization (the sender's activation), rather than on the 64th and
     * 128th append a client is sent. Until the JIT compiles the caller, each
     * call counts, and the 128th spins a class for the handle: measured, a
     * delivery that took 0.8 to 1.1 ms instead of 0.07, twice in the first
     * 100 ms of a one-client server's life. A FileChannel on /dev/null
     * exercises both; where it cannot be opened, nothing is lost but that.
     */
    private static void customizeNow() {
        if (GET_INT == null) {
            return;
        }
        try (FileChannel probe = FileChannel.open(Path.of("/dev/null"))) {
            for (int i = 0; i < CUSTOMIZED_AFTER; i++) {
                of(probe);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("method handles not customized ahead: {}", e.toString());
        }
    }

    private Descriptors() {
    }

    static boolean available() {
        return GET_INT != null;
    }

    /** The descriptor of {@code socket}, or -1 if it cannot be had. It is not checked to be open. */
    static int of(SocketChannel socket) {
        if (GET_INT == null || socket.getClass() != SOCKET_CHANNEL) {
            return -1;
        }
        try {
            return (int) GET_INT.invokeExact((Object) socket, SOCKET_FD_OFFSET);
        } catch (Throwable e) {
            return -1;
        }
    }

    /**
     * The descriptor of {@code socket} if it is open, else -1: a closed
     * socket's number may be another's by now.
     */
    static int ofOpen(SocketChannel socket) {
        return socket.isOpen() ? of(socket) : -1;
    }

    /** The descriptor of {@code file}, or -1 if it cannot be had (or it was closed: FileDescriptor says -1 then). */
    static int of(FileChannel file) {
        if (GET_OBJECT == null || file.getClass() != FILE_CHANNEL) {
            return -1;
        }
        try {
            Object descriptor = (Object) GET_OBJECT.invokeExact((Object) file, FILE_FD_OFFSET);
            return descriptor == null ? -1 : (int) GET_INT.invokeExact(descriptor, DESCRIPTOR_FD_OFFSET);
        } catch (Throwable e) {
            return -1;
        }
    }
}
