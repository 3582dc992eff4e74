package io.tailsrv.sendfile.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.channels.SocketChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file descriptor behind a JDK socket channel, for the system calls
 * NIO does not make (poll for a reset, today). NIO keeps it in a private
 * field of {@code sun.nio.ch.SocketChannelImpl}; it is read through
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
    /** {@code Unsafe.getInt(Object, long)}, bound to the Unsafe instance. */
    private static final MethodHandle GET_INT;
    private static final long SOCKET_FD_OFFSET;

    static {
        Class<?> socketChannel = null;
        MethodHandle getInt = null;
        long offset = -1;
        try {
            ClassLoader platform = ClassLoader.getPlatformClassLoader();
            Class<?> unsafeClass = platform.loadClass("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            Object unsafe = theUnsafe.get(null);
            socketChannel = platform.loadClass("sun.nio.ch.SocketChannelImpl");
            Field fdVal = socketChannel.getDeclaredField("fdVal");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            offset = (long) lookup.findVirtual(unsafeClass, "objectFieldOffset",
                    MethodType.methodType(long.class, Field.class)).invoke(unsafe, fdVal);
            getInt = lookup.findVirtual(unsafeClass, "getInt",
                    MethodType.methodType(int.class, Object.class, long.class)).bindTo(unsafe);
        } catch (Throwable e) { // any failure means: not on this JVM
            LOG.debug("socket descriptors are out of reach on this JVM: {}", e.toString());
            getInt = null;
        }
        SOCKET_CHANNEL = socketChannel;
        GET_INT = getInt;
        SOCKET_FD_OFFSET = offset;
    }

    private Descriptors() {
    }

    static boolean available() {
        return GET_INT != null;
    }

    /** The descriptor of {@code socket}, or -1 if it cannot be had (or the channel is closed). */
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
}
