package io.rustbucket.bucketchat.canonical;

/** A value with no canonical form (a float): it cannot be signed, so it cannot be written. */
public final class NonCanonicalException extends IllegalArgumentException {
    public NonCanonicalException(String message) {
        super(message);
    }
}
