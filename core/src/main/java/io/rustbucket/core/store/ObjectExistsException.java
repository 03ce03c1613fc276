package io.rustbucket.core.store;

/** A create-only write found the key already taken; the existing object was not touched. */
public final class ObjectExistsException extends StoreException {
    public ObjectExistsException(String key) {
        super("object already exists: " + key);
    }
}
