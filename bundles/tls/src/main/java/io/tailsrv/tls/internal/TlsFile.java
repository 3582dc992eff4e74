package io.tailsrv.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.tailsrv.api.TlsConfigException;

/** Reads one of an instance's TLS files whole, with errors that name its property and the file. */
final class TlsFile {

    /**
     * Certificates, keys and CA bundles are kilobytes (every CA a browser
     * trusts is 200 KiB): a larger file is not one of them, and is not read
     * into memory on the strength of a typo.
     */
    static final int MAX_BYTES = 4 << 20;

    private TlsFile() {
    }

    static byte[] read(Path file, String property) throws TlsConfigException {
        if (Files.isDirectory(file)) {
            throw new TlsConfigException(property, file + " is a directory");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new TlsConfigException(property, file + " is larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new TlsConfigException(property, file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TlsConfigException(property, file + " cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new TlsConfigException(property, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
