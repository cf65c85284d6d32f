package io.hearth.shadow;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shadows most recently used, least recently used dropped first, bounded by the size of their
 * JSON rather than their number: a home has thousands of small shadows and a few large ones, and
 * a count alone would either thrash on the first or overflow the heap with the second. Used by the
 * shadow service's one request thread only.
 */
final class DocumentCache {

    /** Counted for every entry on top of its JSON: the key, the entry and the tree's fixed costs. */
    private static final int ENTRY_OVERHEAD = 200;

    private final long budget;
    private final Map<ShadowName, ShadowStore.Stored> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private long used;

    /** @param budget JSON characters (plus overhead per entry) to keep; trees take a few times that in heap */
    DocumentCache(long budget) {
        this.budget = budget;
    }

    ShadowStore.Stored get(ShadowName name) {
        return entries.get(name);
    }

    void put(ShadowName name, ShadowStore.Stored stored) {
        ShadowStore.Stored replaced = entries.put(name, stored);
        used += weight(stored) - (replaced == null ? 0 : weight(replaced));
        for (Iterator<ShadowStore.Stored> eldest = entries.values().iterator(); used > budget && eldest.hasNext(); ) {
            used -= weight(eldest.next());
            eldest.remove();
        }
    }

    void remove(ShadowName name) {
        ShadowStore.Stored removed = entries.remove(name);
        if (removed != null) {
            used -= weight(removed);
        }
    }

    int size() {
        return entries.size();
    }

    private static long weight(ShadowStore.Stored stored) {
        return ENTRY_OVERHEAD + stored.jsonLength();
    }
}
