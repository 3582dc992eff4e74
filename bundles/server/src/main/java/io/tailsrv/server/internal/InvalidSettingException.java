package io.tailsrv.server.internal;

/** A configuration property with a value the instance cannot run with. */
final class InvalidSettingException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String property;

    InvalidSettingException(String property, String problem) {
        super(property + ": " + problem);
        this.property = property;
    }

    /** The name of the property at fault, as written in the configuration. */
    String property() {
        return property;
    }
}
