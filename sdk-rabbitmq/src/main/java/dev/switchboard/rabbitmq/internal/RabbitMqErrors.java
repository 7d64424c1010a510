package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.AMQP;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Maps amqp-client failures onto {@link ErrorCode}s; the native exception stays the cause. */
final class RabbitMqErrors {
    private RabbitMqErrors() {
    }

    static MessagingException classify(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof ExecutionException || e instanceof CompletionException
                || (e instanceof IOException && e.getCause() instanceof ShutdownSignalException)) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof MessagingException m) {
            return m;
        }
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof AuthenticationFailureException || e instanceof PossibleAuthenticationFailureException) {
            return new MessagingException(ErrorCode.PERMISSION_DENIED, "RabbitMQ refused the credentials: " + message, e);
        }
        if (e instanceof SSLException || e.getCause() instanceof SSLException) {
            return new MessagingException(ErrorCode.UNAVAILABLE, "TLS handshake with RabbitMQ failed (is the broker's CA in"
                    + " switchboard.rabbitmq.tls.trust-store?): " + message, e, false);
        }
        if (e instanceof ShutdownSignalException signal) {
            return fromShutdown(signal);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException
                || e instanceof SocketTimeoutException || e instanceof TimeoutException || e instanceof IOException) {
            return new MessagingException(ErrorCode.UNAVAILABLE, "RabbitMQ is not reachable: " + message, e);
        }
        return new MessagingException(ErrorCode.UNKNOWN, message, e);
    }

    private static MessagingException fromShutdown(ShutdownSignalException signal) {
        Method reason = signal.getReason();
        int code = reason instanceof AMQP.Channel.Close close ? close.getReplyCode()
                : reason instanceof AMQP.Connection.Close close ? close.getReplyCode() : 0;
        String text = reason instanceof AMQP.Channel.Close close ? close.getReplyText()
                : reason instanceof AMQP.Connection.Close close ? close.getReplyText() : String.valueOf(signal.getMessage());
        return switch (code) {
            case AMQP.NOT_FOUND -> new MessagingException(ErrorCode.NOT_FOUND, text, signal);
            case AMQP.ACCESS_REFUSED -> new MessagingException(ErrorCode.PERMISSION_DENIED, text, signal);
            case AMQP.PRECONDITION_FAILED -> new MessagingException(ErrorCode.FAILED_PRECONDITION, text
                    + " (a queue or exchange exists with other settings)", signal);
            case AMQP.RESOURCE_LOCKED -> new MessagingException(ErrorCode.FAILED_PRECONDITION, text, signal);
            default -> new MessagingException(ErrorCode.UNAVAILABLE, "RabbitMQ connection or channel closed: " + text, signal);
        };
    }

    /** The failure for a publish whose channel went away before the broker confirmed it. */
    static MessagingException unconfirmed(Throwable cause) {
        return new MessagingException(ErrorCode.UNAVAILABLE, "the channel closed before RabbitMQ confirmed the publish;"
                + " it may or may not have been stored", cause);
    }

    static boolean isClosed(Throwable e) {
        return e instanceof AlreadyClosedException;
    }
}
