package io.tailsrv.api;

/** A relay that cannot start, naming the property at fault (or the file, for its lock). */
public final class RelayConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String property;

    public RelayConfigException(String property, String problem) {
        super(property + ": " + problem);
        this.property = property;
    }

    public String property() {
        return property;
    }
}
