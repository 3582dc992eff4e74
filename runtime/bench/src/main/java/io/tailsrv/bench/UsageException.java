package io.tailsrv.bench;

/** A command line the bench cannot run: exit status 2, with the subcommand's usage. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
