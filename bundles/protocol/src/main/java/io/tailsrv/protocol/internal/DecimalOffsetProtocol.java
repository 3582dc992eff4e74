package io.tailsrv.protocol.internal;

import org.osgi.service.component.annotations.Component;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;
import io.tailsrv.api.HeaderParser;
import io.tailsrv.api.OffsetProtocol;

/**
 * The offset protocol: a decimal header, and offsets counted from the start,
 * or back from the end when negative.
 *
 * <p>In a framework, DS registers it; used as a plain Java module or jar,
 * {@code ServiceLoader} finds it (the optional SPI registration also serves
 * a framework that has a ServiceLoader mediator). Both need the public no-arg
 * constructor.
 */
@Component(service = OffsetProtocol.class)
@ServiceProvider(value = OffsetProtocol.class, resolution = Resolution.OPTIONAL)
public final class DecimalOffsetProtocol implements OffsetProtocol {

    @Override
    public HeaderParser newParser() {
        return new DecimalHeaderParser();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code fileSize} is negative
     */
    @Override
    public long resolve(long requested, long fileSize) {
        if (fileSize < 0) {
            throw new IllegalArgumentException("negative file size: " + fileSize);
        }
        if (requested >= 0) {
            return requested;
        }
        // A non-negative size plus a negative offset cannot overflow, even for Long.MIN_VALUE.
        return Math.max(0, fileSize + requested);
    }
}
