package dev.switchboard.aws.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Maps AWS SDK failures onto {@link ErrorCode}s by HTTP status and AWS error code, for
 * {@link AwsDriver#classify}; the native error stays the cause. Stateless.
 */
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

    static MessagingException classify(Throwable e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? "" : String.valueOf(service.awsErrorDetails().errorCode());
            return fromCode(code, service.statusCode(), service.getMessage(), e);
        }
        if (e instanceof SdkClientException) {
            return new MessagingException(ErrorCode.UNAVAILABLE, "SNS/SQS not reachable: " + e.getMessage(), e);
        }
        return null;
    }

    /**
     * The native failure of one entry of a batch call (SNS PublishBatch, SQS DeleteMessageBatch, ...), which
     * answers per entry with an error code instead of throwing: a sender's fault as HTTP 400, else 500.
     */
    static AwsServiceException entryFailure(String service, String code, Boolean senderFault, String message) {
        return AwsServiceException.builder().statusCode(Boolean.TRUE.equals(senderFault) ? 400 : 500).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName(service).errorCode(code).errorMessage(message).build())
                .build();
    }

    private static MessagingException fromCode(String code, int status, String message, Throwable cause) {
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
