package dev.switchboard.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class BatchOutcomeTest {
    private static OutboxRow row(long id, String key) {
        return new OutboxRow(id, OutboxRow.bucketOf(key, "e" + id), "t", "e" + id, key, "{}", new byte[0]);
    }

    @Test
    void aTransientFailureHoldsBackTheLaterRowsOfItsKeyOnly() {
        List<OutboxRow> rows = List.of(row(1, "a"), row(2, "b"), row(3, "a"), row(4, "b"), row(5, "a"));
        MessagingException down = new MessagingException(ErrorCode.UNAVAILABLE, "broker down");

        BatchOutcome outcome = BatchOutcome.of(rows, Arrays.asList(null, null, new CompletionException(down), null, null));

        assertThat(outcome.confirmed()).containsExactly(1L, 2L, 4L);
        assertThat(outcome.refused()).isEmpty();
        assertThat(outcome.transientFailure()).isSameAs(down);
    }

    @Test
    void aPermanentFailureIsParkedAndTheRowsAfterItGoOn() {
        List<OutboxRow> rows = List.of(row(1, "a"), row(2, "a"), row(3, "a"));
        MessagingException tooLarge = new MessagingException(ErrorCode.INVALID_ARGUMENT, "too large");

        BatchOutcome outcome = BatchOutcome.of(rows, Arrays.asList(null, tooLarge, null));

        assertThat(outcome.confirmed()).containsExactly(1L, 3L);
        assertThat(outcome.refused()).containsOnlyKeys(rows.get(1));
        assertThat(outcome.refused().get(rows.get(1))).contains("INVALID_ARGUMENT", "too large");
        assertThat(outcome.transientFailure()).isNull();
    }

    @Test
    void aClosingClientIsRetriedNotParked() {
        List<OutboxRow> rows = List.of(row(1, "a"));
        BatchOutcome outcome = BatchOutcome.of(rows, Arrays.asList(
                new MessagingException(ErrorCode.FAILED_PRECONDITION, "closed")));
        assertThat(outcome.refused()).isEmpty();
        assertThat(outcome.confirmed()).isEmpty();
        assertThat(outcome.transientFailure()).isNotNull();
    }
}
