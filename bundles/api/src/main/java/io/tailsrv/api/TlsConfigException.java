package io.tailsrv.api;

/**
 * A TLS configuration its instance cannot run with: a file unreadable or
 * not what it should hold, a key that does not match its certificate, a
 * wrong password, a certificate expired. The instance fails, and says which
 * property is at fault.
 */
public final class TlsConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String property;

    /** @param property the property at fault, as {@link InstanceConfig} names it */
    public TlsConfigException(String property, String problem) {
        super(property + ": " + problem);
        this.property = property;
    }

    public TlsConfigException(String property, String problem, Throwable cause) {
        super(property + ": " + problem, cause);
        this.property = property;
    }

    public String property() {
        return property;
    }
}
