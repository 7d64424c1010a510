package dev.switchboard.rabbitmq.internal;

import java.util.Arrays;
import java.util.List;

/** Test access to the retry queues a group queue may have, for cleaning up after tests. */
public final class RetryQueueNames {
    private RetryQueueNames() {
    }

    /** Every retry queue name {@code queue} can have, one per step of the delay grid. */
    public static List<String> of(String queue) {
        return Arrays.stream(RetryDelays.steps()).mapToObj(step -> queue + ".retry." + step).toList();
    }
}
