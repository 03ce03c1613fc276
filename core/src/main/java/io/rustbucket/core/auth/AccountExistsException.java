package io.rustbucket.core.auth;

/** The username or e-mail address belongs to another account. */
public final class AccountExistsException extends RuntimeException {
    public AccountExistsException(String name) {
        super("an account named '" + name + "' or with that e-mail exists already");
    }
}
