package dev.switchboard.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

class AwsErrorsTest {

    @ParameterizedTest(name = "{0} / HTTP {1} -> {2}")
    @CsvSource({
            "AccessDenied, 403, PERMISSION_DENIED",
            "AccessDeniedException, 400, PERMISSION_DENIED",
            "InvalidClientTokenId, 403, PERMISSION_DENIED",
            "SignatureDoesNotMatch, 403, PERMISSION_DENIED",
            "SomethingNew, 403, PERMISSION_DENIED",
            "SomethingNew, 401, PERMISSION_DENIED",
            "QueueDoesNotExist, 400, NOT_FOUND",
            "AWS.SimpleQueueService.NonExistentQueue, 400, NOT_FOUND",
            "NotFound, 404, NOT_FOUND",
            "SomethingNew, 404, NOT_FOUND",
            "InvalidParameter, 400, INVALID_ARGUMENT",
            "InvalidParameterValue, 400, INVALID_ARGUMENT",
            "MessageTooLong, 400, INVALID_ARGUMENT",
            "InvalidMessageContents, 400, INVALID_ARGUMENT",
            "Throttling, 400, RESOURCE_EXHAUSTED",
            "ThrottlingException, 400, RESOURCE_EXHAUSTED",
            "SomethingNew, 429, RESOURCE_EXHAUSTED",
            "InternalError, 500, UNAVAILABLE",
            "ServiceUnavailable, 503, UNAVAILABLE",
            "SomethingNew, 400, FAILED_PRECONDITION"
    })
    void serviceErrorsAreClassifiedByCodeAndStatus(String errorCode, int status, ErrorCode expected) {
        AwsServiceException native_ = serviceException(errorCode, status);

        MessagingException classified = AwsErrors.classify(native_);

        assertThat(classified.code()).isEqualTo(expected);
        assertThat(classified.getCause()).isSameAs(native_);
        assertThat(classified.getMessage()).contains(errorCode);
    }

    @Test
    void throttlingIsRetryableAndPermissionDeniedIsNot() {
        AwsServiceException throttled = serviceException("Throttling", 400);
        AwsServiceException denied = serviceException("AccessDenied", 403);

        MessagingException throttledError = AwsErrors.classify(throttled);
        MessagingException deniedError = AwsErrors.classify(denied);

        assertThat(throttledError.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(throttledError.isRetryable()).isTrue();
        assertThat(deniedError.isRetryable()).isFalse();
    }

    @Test
    void serverErrorsAreRetryableUnavailable() {
        AwsServiceException serverError = serviceException("InternalFailure", 500);

        MessagingException classified = AwsErrors.classify(serverError);

        assertThat(classified.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(classified.isRetryable()).isTrue();
    }

    @Test
    void theServiceSpecificExceptionsAreClassifiedToo() {
        QueueDoesNotExistException noQueue = (QueueDoesNotExistException) QueueDoesNotExistException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AWS.SimpleQueueService.NonExistentQueue").build())
                .statusCode(400).message("The specified queue does not exist.").build();
        NotFoundException noTopic = (NotFoundException) NotFoundException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotFound").build())
                .statusCode(404).message("Topic does not exist").build();

        MessagingException queueError = AwsErrors.classify(noQueue);
        MessagingException topicError = AwsErrors.classify(noTopic);

        assertThat(queueError.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(queueError.getCause()).isSameAs(noQueue);
        assertThat(topicError.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aServiceErrorWithoutDetailsIsClassifiedByStatus() {
        AwsServiceException bare = AwsServiceException.builder().statusCode(503).message("slow down").build();

        MessagingException classified = AwsErrors.classify(bare);

        assertThat(classified.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void clientErrorsAreRetryableUnavailable() {
        SdkClientException unreachable = SdkClientException.create("Unable to execute HTTP request: Connection refused");

        MessagingException classified = AwsErrors.classify(unreachable);

        assertThat(classified.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(classified.isRetryable()).isTrue();
        assertThat(classified.getCause()).isSameAs(unreachable);
        assertThat(classified.getMessage()).contains("Connection refused");
    }

    @Test
    void anythingElseIsLeftToTheCore() {
        IllegalStateException odd = new IllegalStateException("odd");

        MessagingException classified = AwsErrors.classify(odd);

        assertThat(classified).isNull();
    }

    @Test
    void batchEntryFailuresAreClassifiedLikeExceptions() {
        AwsServiceException tooLong = AwsErrors.entryFailure("SNS", "MessageTooLong", true, "too long");
        AwsServiceException internal = AwsErrors.entryFailure("SQS", "InternalError", false, "try again");

        MessagingException tooLongError = AwsErrors.classify(tooLong);
        MessagingException internalError = AwsErrors.classify(internal);

        assertThat(tooLongError.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(tooLongError.getMessage()).startsWith("MessageTooLong: too long");
        assertThat(tooLongError.getCause()).isSameAs(tooLong);
        assertThat(internalError.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(internalError.isRetryable()).isTrue();
    }

    private static AwsServiceException serviceException(String errorCode, int status) {
        return AwsServiceException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(errorCode).errorMessage("from the test").build())
                .statusCode(status)
                .message(errorCode + " from the test")
                .build();
    }
}
