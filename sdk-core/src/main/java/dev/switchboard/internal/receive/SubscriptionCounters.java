package dev.switchboard.internal.receive;

import dev.switchboard.SubscriberStats;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link SubscriberStats}; contention-free on the hot path. */
final class SubscriptionCounters {
    final LongAdder received = new LongAdder();
    final LongAdder acknowledged = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder skippedUnknownType = new LongAdder();
    final LongAdder duplicates = new LongAdder();

    SubscriberStats snapshot(int inFlight) {
        return new SubscriberStats(received.sum(), acknowledged.sum(), retried.sum(), deadLettered.sum(),
                skippedUnknownType.sum(), duplicates.sum(), inFlight);
    }
}
