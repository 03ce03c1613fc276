package io.rustbucket.core.store;

import java.util.List;
import java.util.Optional;

/** One page of a listing; {@code nextStartAfter} is present when more objects follow. */
public record ObjectPage(List<ObjectInfo> objects, Optional<String> nextStartAfter) {
    public ObjectPage {
        objects = List.copyOf(objects);
    }
}
