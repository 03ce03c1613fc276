package io.rustbucket.bucketchat.client;

/** What the signature of one event proves. */
public enum SignatureStatus {
    /** Signed by the key known for its sender. */
    VALID,
    /** A key is known for the sender and this signature does not verify with it: forged or altered. */
    INVALID_SIGNATURE,
    /** No key is known for the sender: shown, flagged, not counted as authentic. */
    UNVERIFIED
}
