package dev.switchboard.rabbitmq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How amqp-client failures map onto error codes and retryability. */
class RabbitMqErrorsTest {
    private static final String ENDPOINT = "amqp://guest@broker.internal:5672 (virtual host /)";
    private final RabbitMqErrors errors = new RabbitMqErrors(ENDPOINT);

    @Test
    void aRefusedConnectionIsUnavailableAndRetryable() {
        ConnectException refused = new ConnectException("Connection refused");

        MessagingException classified = errors.classify(refused);

        assertThat(classified.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(classified.isRetryable()).isTrue();
        assertThat(classified.getMessage()).contains(ENDPOINT).contains("Connection refused");
        assertThat(classified).hasCause(refused);
    }

    @Test
    void aConnectTimeoutIsUnavailableAndRetryable() {
        TimeoutException timeout = new TimeoutException("timed out");

        MessagingException classified = errors.classify(timeout);

        assertThat(classified.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(classified.isRetryable()).isTrue();
    }

    @Test
    void refusedCredentialsArePermissionDenied() {
        AuthenticationFailureException refused = new AuthenticationFailureException(
                "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN");

        MessagingException classified = errors.classify(refused);

        assertThat(classified.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(classified.isRetryable()).isFalse();
        assertThat(classified.getMessage()).contains(ENDPOINT);
        assertThat(classified).hasCause(refused);
    }

    @Test
    void aPossibleAuthenticationFailureIsPermissionDenied() {
        PossibleAuthenticationFailureException possible = new PossibleAuthenticationFailureException(
                new IOException("connection closed during login"));

        MessagingException classified = errors.classify(possible);

        assertThat(classified.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    }

    @Test
    void aFailedTlsHandshakeIsUnavailableButNotRetryable() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");

        MessagingException classified = errors.classify(handshake);

        assertThat(classified.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(classified.isRetryable()).isFalse();
        assertThat(classified.getMessage()).contains("TLS").contains("switchboard.rabbitmq.tls.trust-store");
        assertThat(classified).hasCause(handshake);
    }

    @Test
    void aTlsHandshakeWrappedInAnIoExceptionIsStillNotRetryable() {
        IOException wrapped = new IOException("handshake", new SSLHandshakeException("certificate_unknown"));

        MessagingException classified = errors.classify(wrapped);

        assertThat(classified.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(classified.isRetryable()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "404, NOT_FOUND - no exchange 'orders' in vhost '/', NOT_FOUND",
            "403, ACCESS_REFUSED - access to exchange 'orders' refused, PERMISSION_DENIED",
            "406, PRECONDITION_FAILED - inequivalent arg 'x-queue-type', FAILED_PRECONDITION",
            "405, RESOURCE_LOCKED - cannot obtain exclusive access, FAILED_PRECONDITION",
            "320, CONNECTION_FORCED - broker forced connection closure, UNAVAILABLE"})
    void aChannelClosedByTheBrokerIsClassifiedByItsReplyCode(int replyCode, String replyText, ErrorCode expected) {
        ShutdownSignalException closed = channelClosed(replyCode, replyText);

        MessagingException classified = errors.classify(closed);

        assertThat(classified.code()).isEqualTo(expected);
        assertThat(classified.getMessage()).contains(replyText);
        assertThat(classified).hasCause(closed);
    }

    @Test
    void aConnectionClosedWithAccessRefusedIsPermissionDenied() {
        ShutdownSignalException closed = new ShutdownSignalException(true, false,
                new AMQP.Connection.Close.Builder().replyCode(AMQP.ACCESS_REFUSED)
                        .replyText("ACCESS_REFUSED - access to vhost 'prod' refused").build(), null);

        MessagingException classified = errors.classify(closed);

        assertThat(classified.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    }

    @Test
    void aChannelCloseBuiltWithTheProtocolBuilderIsClassifiedTheSame() {
        ShutdownSignalException closed = new ShutdownSignalException(false, false,
                new AMQP.Channel.Close.Builder().replyCode(AMQP.NOT_FOUND).replyText("NOT_FOUND - no queue 'q'").build(), null);

        MessagingException classified = errors.classify(closed);

        assertThat(classified.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aShutdownSignalWrappedInAnIoExceptionIsUnwrapped() {
        IOException wrapped = new IOException(channelClosed(404, "NOT_FOUND - no exchange 'orders'"));

        MessagingException classified = errors.classify(wrapped);

        assertThat(classified.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aFailureThatIsNotAmqpClientsIsLeftToTheCore() {
        assertThat(errors.classify(new IllegalArgumentException("topic \"t\" is 300 bytes in UTF-8"))).isNull();
        assertThat(errors.classify(new IllegalStateException("strange"))).isNull();
    }

    @Test
    void onlyAChannelClosedWith404IsNotFound() {
        assertThat(RabbitMqErrors.isNotFound(new IOException(channelClosed(404, "NOT_FOUND - no queue 'q'")))).isTrue();
        assertThat(RabbitMqErrors.isNotFound(new IOException(channelClosed(403, "ACCESS_REFUSED - no")))).isFalse();
        assertThat(RabbitMqErrors.isNotFound(new IOException("broken pipe"))).isFalse();
    }

    private static ShutdownSignalException channelClosed(int replyCode, String replyText) {
        return new ShutdownSignalException(false, false, new AMQImpl.Channel.Close(replyCode, replyText, 0, 0), null);
    }
}
