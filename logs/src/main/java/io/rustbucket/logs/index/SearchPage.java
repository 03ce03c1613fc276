package io.rustbucket.logs.index;

import java.util.List;
import java.util.Map;

/** One page of hits (each the stored event), the exact total, and the cursor of the next page (null at the end). */
public record SearchPage(List<Map<String, Object>> hits, long total, String nextAfter) {}
