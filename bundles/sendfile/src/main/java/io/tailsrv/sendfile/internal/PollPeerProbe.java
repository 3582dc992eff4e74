package io.tailsrv.sendfile.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

import com.sun.jna.NativeLong;

import org.osgi.service.component.annotations.Component;

import io.tailsrv.api.PeerProbe;

/**
 * {@link PeerProbe} by poll(2) on the socket's descriptor, asking for no
 * event at all: the kernel still reports POLLHUP (the connection is closed
 * both ways, as after a reset) and POLLERR (an error is pending), and only
 * those, so a healthy socket, half-closed or not, answers nothing.
 */
@Component(service = PeerProbe.class)
public final class PollPeerProbe implements PeerProbe {

    private static final NativeLong ONE = new NativeLong(1);

    @Override
    public boolean isBroken(SocketChannel socket) {
        int fd = Descriptors.ofOpen(socket);
        if (fd < 0) {
            return false;
        }
        byte[] pollfd = new byte[8];
        ByteBuffer view = ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder());
        view.putInt(0, fd);
        if (SocketCalls.poll(pollfd, ONE, 0) <= 0) {
            return false;
        }
        short revents = view.getShort(6);
        return (revents & (SocketCalls.POLLHUP | SocketCalls.POLLERR)) != 0
                && (revents & SocketCalls.POLLNVAL) == 0;
    }
}
