package dev.switchboard;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link Publisher#publishAll}, one entry per input in input order. A failed entry never
 * hides its neighbours: each entry succeeded or failed on its own.
 *
 * @since 0.1
 */
public record BatchPublishResult(List<Entry> entries) {
    public BatchPublishResult {
        entries = List.copyOf(entries);
    }

    /** True when every entry was confirmed by the broker. */
    public boolean allSucceeded() {
        return entries.stream().allMatch(Entry::succeeded);
    }

    public List<Entry> failures() {
        return entries.stream().filter(e -> !e.succeeded()).toList();
    }

    /**
     * One entry of a batch.
     *
     * @param index position in the input list
     * @param eventId the envelope id (generated ids included), or empty if the input could not be made into
     *     an envelope
     * @param result the confirmation, when it succeeded
     * @param error the classified failure, when it failed
     */
    public record Entry(int index, String eventId, Optional<PublishResult> result, Optional<MessagingException> error) {
        public Entry {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(error, "error");
            if (result.isPresent() == error.isPresent()) {
                throw new IllegalArgumentException("exactly one of result and error must be present");
            }
        }

        public boolean succeeded() {
            return result.isPresent();
        }
    }
}
