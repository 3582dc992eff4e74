package io.tailsrv.server.internal.config;

/** A configuration property with a value the instance cannot run with. */
public final class InvalidSettingException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String property;

    public InvalidSettingException(String property, String problem) {
        super(property + ": " + problem);
        this.property = property;
    }

    /** The name of the property at fault, as written in the configuration. */
    public String property() {
        return property;
    }
}
