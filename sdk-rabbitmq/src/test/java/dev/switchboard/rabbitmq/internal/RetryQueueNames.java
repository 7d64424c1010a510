package dev.switchboard.rabbitmq.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test access to the retry queues a group queue may have, for cleaning up after tests. */
public final class RetryQueueNames {
    private RetryQueueNames() {
    }

    /** Every retry queue name {@code queue} can have, one per step of the delay grid. */
    public static List<String> of(String queue) {
        List<String> names = new ArrayList<>();
        for (long step = RetryDelays.bucketMillis(Duration.ZERO); ; step = RetryDelays.bucketMillis(Duration.ofMillis(step + 1))) {
            names.add(Topology.retryQueue(queue, step));
            if (step == RetryDelays.MAX_MILLIS) {
                return names;
            }
        }
    }
}
