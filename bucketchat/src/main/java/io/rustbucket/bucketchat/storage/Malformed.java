package io.rustbucket.bucketchat.storage;

/** A line (or, with line 0, a whole file) that is not a valid event, and why. */
public record Malformed(String file, int line, String reason) {}
