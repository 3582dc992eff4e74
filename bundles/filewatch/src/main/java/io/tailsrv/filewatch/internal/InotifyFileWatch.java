package io.tailsrv.filewatch.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.tailsrv.api.FileListener;
import io.tailsrv.api.FileWatch;
import io.tailsrv.api.Watch;

/**
 * FileWatch over Linux inotify: one inotify descriptor and one thread,
 * "tailsrv-inotify", serve every watch, however many.
 */
@Component(service = FileWatch.class)
public final class InotifyFileWatch implements FileWatch {

    private volatile WatchEngine engine;

    /** Starts the inotify thread; called by DS, or directly outside OSGi. */
    @Activate
    public void activate() throws IOException {
        engine = new WatchEngine();
    }

    /** Closes every watch and stops the thread. */
    @Deactivate
    public void deactivate() {
        WatchEngine stopping = engine;
        engine = null;
        if (stopping != null) {
            stopping.stop();
        }
    }

    @Override
    public Watch watch(Path path, FileListener listener) throws IOException {
        WatchEngine current = engine;
        if (current == null) {
            throw new IOException("The file watch is not active");
        }
        return current.watch(path, listener);
    }
}
