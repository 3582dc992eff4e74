package io.tailsrv.api;

/** How a watched file stopped being at its path. */
public enum FileGone {
    /** Its last link was removed (seen as a link count of 0). */
    DELETED,
    /** It was renamed away from its path. */
    MOVED;

    /** Lower-case word for log lines: "deleted", "moved". */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
