package dev.switchboard.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link KafkaErrors#classify}: kafka-clients exceptions onto error codes, the native exception kept as cause. The
 * core unwraps futures' wrappers and passes its own exceptions through before it asks, so classify does neither.
 */
class KafkaErrorsTest {
    private static final KafkaErrors ERRORS = new KafkaErrors("localhost:9092");

    static Stream<Arguments> nativeFailures() {
        return Stream.of(
                Arguments.of(new AuthenticationException("bad credentials"), ErrorCode.PERMISSION_DENIED, false),
                Arguments.of(new SaslAuthenticationException("SCRAM failed"), ErrorCode.PERMISSION_DENIED, false),
                Arguments.of(new TopicAuthorizationException(Set.of("orders")), ErrorCode.PERMISSION_DENIED, false),
                Arguments.of(new UnknownTopicOrPartitionException("no orders"), ErrorCode.NOT_FOUND, false),
                Arguments.of(new RecordTooLargeException("too large"), ErrorCode.INVALID_ARGUMENT, false),
                Arguments.of(new TimeoutException("metadata not ready"), ErrorCode.UNAVAILABLE, true),
                Arguments.of(new NotEnoughReplicasException("1 of 3 in sync"), ErrorCode.UNAVAILABLE, true),
                Arguments.of(new WakeupException(), ErrorCode.CANCELLED, false),
                Arguments.of(new KafkaException("unexpected"), ErrorCode.INTERNAL, false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("nativeFailures")
    void classifiesTheNativeFailureAndKeepsItAsCause(Throwable failure, ErrorCode code, boolean retryable) {
        MessagingException classified = ERRORS.classify(failure);

        assertThat(classified.code()).isEqualTo(code);
        assertThat(classified.isRetryable()).isEqualTo(retryable);
        assertThat(classified.getCause()).isSameAs(failure);
        assertThat(classified.getMessage()).contains(failure.getClass().getSimpleName());
    }

    @Test
    void aFailureThatIsNotKafkasIsLeftToTheCore() {
        assertThat(ERRORS.classify(new IllegalStateException("what"))).isNull();
        assertThat(ERRORS.classify(new ExecutionException(new TimeoutException("metadata not ready")))).isNull();
    }
}
