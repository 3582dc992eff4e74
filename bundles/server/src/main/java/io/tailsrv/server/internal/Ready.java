package io.tailsrv.server.internal;

import java.nio.channels.SelectionKey;

/** What a selection key's attachment does when its channel is ready. */
interface Ready {

    /** Called on the key's I/O thread with the key's ready operations set. */
    void ready(SelectionKey key);
}
