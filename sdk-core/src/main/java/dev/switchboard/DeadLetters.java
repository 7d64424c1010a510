package dev.switchboard;

import dev.switchboard.internal.DeadLetterQueue;
import java.time.Duration;
import java.util.List;

/**
 * The dead letters of one group: read them, and replay them to their topic once the cause is fixed.
 * Obtained from {@link Messaging#deadLetters(String, String)}. Thread-safe, but run one replay at a time
 * per group.
 *
 * <p>Replay publishes the original envelope (diagnostics removed, id unchanged) to the original topic, then
 * removes the dead letter; every group of the topic sees it again, so groups that already handled it should
 * {@linkplain Subscription.Builder#deduplicate deduplicate}. A replay interrupted between the two steps
 * publishes that event twice, never loses it.
 *
 * @since 0.1
 */
public final class DeadLetters {
    private final DeadLetterQueue queue;

    DeadLetters(DeadLetterQueue queue) {
        this.queue = queue;
    }

    /**
     * Reads up to {@code max} dead letters without removing them, waiting at most {@code wait} for the first.
     */
    public List<DeadLetter> list(int max, Duration wait) {
        return queue.list(max, wait);
    }

    /**
     * Replays up to {@code max} dead letters to their topic, waiting at most {@code wait} for the first.
     *
     * @return the dead letters that were replayed
     */
    public List<DeadLetter> replay(int max, Duration wait) {
        return queue.replay(max, wait);
    }
}
