package io.tailsrv.bench;

import java.nio.file.Path;

/**
 * A file a server serves, and where to reach the server.
 *
 * @param origin what named it, for messages: the command-line argument or the configuration file
 */
record ServedFile(Target endpoint, Path file, String origin) {
}
