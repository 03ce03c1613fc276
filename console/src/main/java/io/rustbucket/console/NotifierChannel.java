package io.rustbucket.console;

/** One notifier as the alerts page shows it: whether it is on, where notices go, and which ones. */
public record NotifierChannel(
        String name, boolean enabled, String target, String minSeverity, String kinds, boolean resolved) {}
