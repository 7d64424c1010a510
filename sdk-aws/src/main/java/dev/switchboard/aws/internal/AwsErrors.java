package dev.switchboard.aws.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Maps AWS SDK failures onto {@link ErrorCode}s by HTTP status and AWS error code; the native error stays the cause. */
final class AwsErrors {
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "AuthorizationError",
            "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException", "ExpiredToken",
            "KMSAccessDenied");
    private static final Set<String> NOT_FOUND = Set.of("NotFound", "NotFoundException", "QueueDoesNotExist",
            "AWS.SimpleQueueService.NonExistentQueue", "ResourceNotFoundException");
    private static final Set<String> INVALID = Set.of("InvalidParameter", "InvalidParameterValue",
            "InvalidParameterException", "InvalidMessageContents", "MessageTooLong", "ValidationError",
            "InvalidAttributeName", "InvalidAttributeValue", "BatchEntryIdsNotDistinct", "TooManyEntriesInBatchRequest");
    private static final Set<String> THROTTLED = Set.of("Throttling", "ThrottlingException", "ThrottledException",
            "RequestThrottled", "KMSThrottling");

    private AwsErrors() {
    }

    static MessagingException classify(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof MessagingException m) {
            return m;
        }
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? "" : String.valueOf(service.awsErrorDetails().errorCode());
            return fromCode(code, service.statusCode(), service.getMessage(), e);
        }
        if (e instanceof SdkClientException) {
            return new MessagingException(ErrorCode.UNAVAILABLE, "SNS/SQS not reachable: " + e.getMessage(), e);
        }
        return new MessagingException(ErrorCode.UNKNOWN, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    /** Classifies an AWS error code, as also returned per entry by batch calls. */
    static MessagingException fromCode(String code, int status, String message, Throwable cause) {
        String text = code + ": " + message;
        if (DENIED.contains(code) || status == 401 || status == 403) {
            return new MessagingException(ErrorCode.PERMISSION_DENIED, text, cause);
        }
        if (NOT_FOUND.contains(code) || status == 404) {
            return new MessagingException(ErrorCode.NOT_FOUND, text, cause);
        }
        if (INVALID.contains(code)) {
            return new MessagingException(ErrorCode.INVALID_ARGUMENT, text, cause);
        }
        if (THROTTLED.contains(code) || status == 429) {
            return new MessagingException(ErrorCode.RESOURCE_EXHAUSTED, text, cause);
        }
        if (status >= 500) {
            return new MessagingException(ErrorCode.UNAVAILABLE, text, cause);
        }
        return new MessagingException(status >= 400 ? ErrorCode.FAILED_PRECONDITION : ErrorCode.UNKNOWN, text, cause);
    }
}
