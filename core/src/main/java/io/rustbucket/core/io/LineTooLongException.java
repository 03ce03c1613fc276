package io.rustbucket.core.io;

import java.io.IOException;

/** A client sent more than the line limit without a line end; the session ends with the protocol's error. */
public final class LineTooLongException extends IOException {
    private final int limit;
    private final int observed;

    public LineTooLongException(int limit, int observed) {
        super("line longer than " + limit + " bytes (at least " + observed + ")");
        this.limit = limit;
        this.observed = observed;
    }

    public int limit() {
        return limit;
    }

    public int observed() {
        return observed;
    }
}
