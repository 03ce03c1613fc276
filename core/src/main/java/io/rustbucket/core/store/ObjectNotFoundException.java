package io.rustbucket.core.store;

/** No object has this key. */
public final class ObjectNotFoundException extends StoreException {
    public ObjectNotFoundException(String key) {
        super("no such object: " + key);
    }
}
