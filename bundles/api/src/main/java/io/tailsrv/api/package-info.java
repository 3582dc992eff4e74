/**
 * The services tailsrv's bundles provide to each other, and the status each
 * served file/port pair publishes.
 *
 * <p>Provider types are implemented by tailsrv's own bundles; consumer types
 * ({@link io.tailsrv.api.FileListener}) by whoever uses them.
 */
@Export
@Version("2.2.0")
package io.tailsrv.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
