package dev.switchboard.jdbc.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What to do with each row of a published batch, from the rows in id order and their outcomes: delete the
 * confirmed rows, except those after a key's first transient failure (which holds back the later rows of its key,
 * to be published again after it); park the rows refused for good. Immutable.
 *
 * @param confirmed ids of the rows to delete
 * @param refused the rows to park, with their reason
 * @param transientFailure the first failure worth retrying, or null if there was none
 */
public record BatchOutcome(List<Long> confirmed, Map<OutboxRow, String> refused, Throwable transientFailure) {

    /** Sorts the outcomes ({@code failures.get(i)} null when row {@code i} was confirmed). */
    public static BatchOutcome of(List<OutboxRow> rows, List<Throwable> failures) {
        List<Long> confirmed = new ArrayList<>();
        Map<OutboxRow, String> refused = new LinkedHashMap<>();
        Set<String> heldBack = new HashSet<>();
        Throwable firstTransient = null;
        for (int i = 0; i < rows.size(); i++) {
            OutboxRow row = rows.get(i);
            Throwable failure = unwrap(failures.get(i));
            if (heldBack.contains(row.orderingKey())) {
                continue;
            }
            if (failure == null) {
                confirmed.add(row.id());
            } else if (isPermanent(failure)) {
                refused.put(row, failure.toString());
            } else {
                heldBack.add(row.orderingKey());
                firstTransient = firstTransient == null ? failure : firstTransient;
            }
        }
        return new BatchOutcome(confirmed, refused, firstTransient);
    }

    /**
     * Whether a row's failure is final: a {@link MessagingException} that is not retryable (an oversize or invalid
     * event, a missing topic, a refused permission) or a row that makes no envelope. A closing client
     * ({@code CANCELLED}, {@code FAILED_PRECONDITION}) says nothing about the row, so it is retried.
     */
    static boolean isPermanent(Throwable failure) {
        if (failure instanceof MessagingException e) {
            return !e.isRetryable() && e.code() != ErrorCode.CANCELLED && e.code() != ErrorCode.FAILED_PRECONDITION;
        }
        return failure instanceof UnreadableRowException;
    }

    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** A row whose attributes make no envelope: it can never be published. */
    public static final class UnreadableRowException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnreadableRowException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
