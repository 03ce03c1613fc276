package io.rustbucket.bucketchat.storage;

import io.rustbucket.bucketchat.event.ChatEvent;

/** An event and where it was read: file key and 1-based line number. */
public record LoggedEvent(ChatEvent event, String file, int line) {}
