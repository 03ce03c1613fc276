package io.rustbucket.core.store;

/** A key that could escape the store or confuse a backend (.., absolute, NUL, control characters). */
public final class InvalidKeyException extends StoreException {
    public InvalidKeyException(String key, String reason) {
        super("invalid object key " + ObjectKeys.printable(key) + ": " + reason);
    }
}
