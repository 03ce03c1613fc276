package io.rustbucket.core.store;

import java.time.Instant;

/** What the store knows about one object. The etag changes whenever content would (it never does: create-only). */
public record ObjectInfo(String key, long sizeBytes, String etag, Instant modified) {}
