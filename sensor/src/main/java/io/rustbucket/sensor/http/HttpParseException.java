package io.rustbucket.sensor.http;

/** A request the server refuses to interpret, with the status a real server answers. */
final class HttpParseException extends Exception {
    private final int status;

    HttpParseException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    int status() {
        return status;
    }
}
