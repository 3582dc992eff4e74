package io.tailsrv.server.internal.loop;

import java.nio.channels.SelectionKey;

/** What a selection key's attachment does when its channel is ready. */
public interface ReadyHandler {

    /** Called on the key's I/O thread with the key's ready operations set. */
    void ready(SelectionKey key);
}
