package dev.switchboard.kafka.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Maps kafka-clients exceptions onto {@link ErrorCode}s, the native exception kept as the cause; null for a
 * failure that is not Kafka's (the core reports it as {@code UNKNOWN}). Only the core calls it, with the failure
 * already unwrapped from its future. Immutable.
 *
 * @param bootstrapServers where the clients connect, as errors name it
 */
record KafkaErrors(String bootstrapServers) {
    MessagingException classify(Throwable e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof AuthenticationException || e instanceof AuthorizationException) {
            return new MessagingException(ErrorCode.PERMISSION_DENIED, "Kafka at " + bootstrapServers
                    + (e instanceof AuthenticationException ? " rejected the credentials: " : " denied the operation: ")
                    + message, e);
        }
        if (e instanceof UnknownTopicOrPartitionException) {
            return new MessagingException(ErrorCode.NOT_FOUND, message, e);
        }
        if (e instanceof RecordTooLargeException || e instanceof InvalidTopicException
                || e instanceof SerializationException || e instanceof InvalidConfigurationException) {
            return new MessagingException(ErrorCode.INVALID_ARGUMENT, message, e);
        }
        if (e instanceof RetriableException) { // such as a TimeoutException: no answer within the connect timeout
            return new MessagingException(ErrorCode.UNAVAILABLE, "Kafka at " + bootstrapServers + " is unavailable"
                    + " (switchboard.connect-timeout bounds each wait): " + message, e);
        }
        if (e instanceof InterruptException || e instanceof WakeupException || e instanceof InterruptedException) {
            return new MessagingException(ErrorCode.CANCELLED, message, e);
        }
        return e instanceof KafkaException ? new MessagingException(ErrorCode.INTERNAL, message, e) : null;
    }
}
