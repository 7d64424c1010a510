package dev.switchboard.aws.internal;

import dev.switchboard.Connectivity;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Whether SNS/SQS answers, as the calls of one client see it: HTTP keeps no connection to ask, so each call
 * reports how it ended. An answer, even an error answer, is {@link Connectivity#CONNECTED}; a failure to get one
 * (connection refused, timed out: an {@link SdkClientException}) is {@link Connectivity#DISCONNECTED}, and so is a
 * call still unanswered {@code slack} after it should have been (a broker that accepts connections and never
 * answers: a long poll would otherwise hold that back for the socket timeout and the SDK's retries). Unknown before
 * the first call ends. Cheap and thread-safe: a map entry per call under way.
 */
final class Reachability {
    private final long slackNanos;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Long> answerDue = new ConcurrentHashMap<>();
    private volatile Connectivity last = Connectivity.UNKNOWN;

    Reachability(Duration slack) {
        this.slackNanos = slack.toNanos();
    }

    /** Runs {@code call}, which should be answered within {@code expected} (a long poll's wait); notes how it ended. */
    <T> T call(Duration expected, Supplier<T> call) {
        Long id = ids.incrementAndGet();
        answerDue.put(id, System.nanoTime() + expected.toNanos() + slackNanos);
        try {
            T answer = call.get();
            last = Connectivity.CONNECTED;
            return answer;
        } catch (AwsServiceException e) {
            last = Connectivity.CONNECTED;
            throw e;
        } catch (SdkClientException e) {
            last = Connectivity.DISCONNECTED;
            throw e;
        } finally {
            answerDue.remove(id);
        }
    }

    Connectivity get() {
        long now = System.nanoTime();
        for (long due : answerDue.values()) {
            if (now - due > 0) {
                return Connectivity.DISCONNECTED;
            }
        }
        return last;
    }
}
