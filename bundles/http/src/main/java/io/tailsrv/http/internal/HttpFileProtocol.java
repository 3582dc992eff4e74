package io.tailsrv.http.internal;

import java.time.Clock;

import org.osgi.service.component.annotations.Component;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;
import io.tailsrv.api.EventFramer;
import io.tailsrv.api.HttpProtocol;
import io.tailsrv.api.HttpRequestReader;

/**
 * HTTP/1.1 for a tailed file: {@code GET} and {@code HEAD} of {@code /},
 * answered with the file, its lines as Server-Sent Events, or a page that
 * shows them. Readers and framers hold no more than their own client's
 * state, and the page is read once, here.
 *
 * <p>In a framework, DS registers it; used as a plain Java module or jar,
 * {@code ServiceLoader} finds it. Both need the public no-arg constructor.
 */
@Component(service = HttpProtocol.class)
@ServiceProvider(value = HttpProtocol.class, resolution = Resolution.OPTIONAL)
public final class HttpFileProtocol implements HttpProtocol {

    private final Clock clock;
    private final ViewerPage page;

    public HttpFileProtocol() {
        this(Clock.systemUTC());
    }

    /** @param clock for the responses' {@code Date} */
    HttpFileProtocol(Clock clock) {
        this.clock = clock;
        this.page = ViewerPage.load();
    }

    @Override
    public HttpRequestReader newReader() {
        return new RequestHeadReader(clock, page);
    }

    @Override
    public EventFramer newFramer(long offset) {
        return new LineEventFramer(offset);
    }
}
