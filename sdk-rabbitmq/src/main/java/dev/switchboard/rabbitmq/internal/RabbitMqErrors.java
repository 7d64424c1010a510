package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Maps amqp-client failures onto {@link ErrorCode}s, naming the broker for connection failures; the native
 * exception stays the cause; null for a failure that is not amqp-client's, which the core classifies. Immutable.
 */
final class RabbitMqErrors {
    private final String endpoint;

    /** @param endpoint where the driver connects, as errors name it (never with the password) */
    RabbitMqErrors(String endpoint) {
        this.endpoint = endpoint;
    }

    MessagingException classify(Throwable failure) {
        // amqp-client reports a closed channel or connection as an IOException around the shutdown signal
        Throwable e = failure instanceof IOException && failure.getCause() instanceof ShutdownSignalException
                ? failure.getCause() : failure;
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof AuthenticationFailureException || e instanceof PossibleAuthenticationFailureException) {
            return new MessagingException(ErrorCode.PERMISSION_DENIED, "RabbitMQ at " + endpoint
                    + " refused the credentials: " + message, e);
        }
        if (e instanceof SSLException || e.getCause() instanceof SSLException) {
            return new MessagingException(ErrorCode.UNAVAILABLE, "TLS handshake with RabbitMQ at " + endpoint
                    + " failed (is the broker's CA in switchboard.rabbitmq.tls.trust-store?): " + message, e, false);
        }
        if (e instanceof ShutdownSignalException signal) {
            return fromShutdown(signal);
        }
        if (e instanceof IOException || e instanceof TimeoutException) {
            return new MessagingException(ErrorCode.UNAVAILABLE, "RabbitMQ at " + endpoint + " is not reachable: "
                    + message, e);
        }
        return null; // not amqp-client's: the core's (an IllegalArgumentException, such as a name too long, is the caller's)
    }

    /** Whether {@code failure} is the broker closing a channel for a missing exchange or queue (404). */
    static boolean isNotFound(IOException failure) {
        return failure.getCause() instanceof ShutdownSignalException signal && replyCode(signal) == AMQP.NOT_FOUND;
    }

    private static MessagingException fromShutdown(ShutdownSignalException signal) {
        String text = signal.getReason() instanceof AMQP.Channel.Close close ? close.getReplyText()
                : signal.getReason() instanceof AMQP.Connection.Close close ? close.getReplyText() : signal.getMessage();
        return switch (replyCode(signal)) {
            case AMQP.NOT_FOUND -> new MessagingException(ErrorCode.NOT_FOUND, text, signal);
            case AMQP.ACCESS_REFUSED -> new MessagingException(ErrorCode.PERMISSION_DENIED, text, signal);
            case AMQP.PRECONDITION_FAILED -> new MessagingException(ErrorCode.FAILED_PRECONDITION, text
                    + " (a queue or exchange exists with other settings)", signal);
            case AMQP.RESOURCE_LOCKED -> new MessagingException(ErrorCode.FAILED_PRECONDITION, text, signal);
            default -> new MessagingException(ErrorCode.UNAVAILABLE, "RabbitMQ connection or channel closed: " + text, signal);
        };
    }

    private static int replyCode(ShutdownSignalException signal) {
        return signal.getReason() instanceof AMQP.Channel.Close close ? close.getReplyCode()
                : signal.getReason() instanceof AMQP.Connection.Close close ? close.getReplyCode() : 0;
    }
}
