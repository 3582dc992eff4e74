package io.tailsrv.http.internal;

/**
 * A request that gets an error response: thrown where the fault is found,
 * answered where the head is read. One per rejected request, so it carries
 * no stack trace.
 */
final class BadRequest extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String problem;
    private final String quoted;

    /**
     * @param status the response's status code
     * @param problem what is wrong, in a few words, for the response's body and the log
     * @param quoted the client's bytes at fault, escaped and quoted for the log
     *        ({@link LogEscaper#quote})
     */
    BadRequest(int status, String problem, String quoted) {
        super(problem, null, false, false);
        this.status = status;
        this.problem = problem;
        this.quoted = quoted;
    }

    int status() {
        return status;
    }

    String problem() {
        return problem;
    }

    /** For the log: the problem and the bytes at fault. */
    String reason() {
        return problem + ": " + quoted;
    }
}
