package io.rustbucket.bucketchat.client;

/** The state of one sender's hash chain, worst problem first. */
public enum ChainStatus {
    /** Two events of the sender carry the same previous hash (equivocation). */
    FORK,
    /** An event's previous hash matches no event, but would have matched an event that was altered. */
    BROKEN_LINK,
    /** The chain has no start (no event with a null previous hash). */
    BAD_FIRST,
    /** An event's predecessor is missing (deleted line or file). */
    GAP,
    /** Every event links to its predecessor from a single start. */
    INTACT
}
