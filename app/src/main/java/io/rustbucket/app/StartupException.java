package io.rustbucket.app;

/** A start-up problem the user can fix; its message is printed as the one line they see. */
final class StartupException extends RuntimeException {
    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
