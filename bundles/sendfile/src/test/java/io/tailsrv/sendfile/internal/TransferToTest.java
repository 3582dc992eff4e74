package io.tailsrv.sendfile.internal;

import io.tailsrv.api.ZeroCopySender;

class TransferToTest extends ZeroCopySenderContract {

    @Override
    ZeroCopySender sender() {
        return new TransferTo();
    }
}
