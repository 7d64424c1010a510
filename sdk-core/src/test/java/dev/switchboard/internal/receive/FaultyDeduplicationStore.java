package dev.switchboard.internal.receive;

import dev.switchboard.DeduplicationStore;
import dev.switchboard.internal.InMemoryDeduplicationStore;
import java.time.Duration;

/** The in-memory store, whose claims or releases fail on demand, as a database's do while it is down. */
final class FaultyDeduplicationStore implements DeduplicationStore {
    private final DeduplicationStore store = new InMemoryDeduplicationStore();
    volatile boolean claimsFail;
    volatile boolean releasesFail;

    @Override
    public boolean tryClaim(String group, String eventId, Duration ttl) {
        if (claimsFail) {
            throw new IllegalStateException("store down (claim)");
        }
        return store.tryClaim(group, eventId, ttl);
    }

    @Override
    public void release(String group, String eventId) {
        if (releasesFail) {
            throw new IllegalStateException("store down (release)");
        }
        store.release(group, eventId);
    }
}
