package dev.switchboard;

/**
 * The portable configuration keys, the same on every broker, for {@link Messaging.Builder#property} and
 * {@link Messaging#fromConfig(java.util.Map)} instead of string literals. A broker's own keys are constants of its
 * options class ({@code KafkaOptions}, {@code RabbitMqOptions}, {@code AwsOptions}). Durations take {@code 500ms},
 * {@code 30s}, {@code 5m}, {@code 1h}, ISO-8601 ({@code PT30S}) or plain milliseconds.
 *
 * @since 0.1
 */
public final class SwitchboardProperties {
    /**
     * The provider: {@code kafka}, {@code rabbitmq}, {@code sns-sqs} or {@code in-memory}. Default: the only
     * provider present; required when several are.
     */
    public static final String BROKER = "switchboard.broker";

    /** This service's name, for the default event source and the clients' ids. Default {@code switchboard-service}. */
    public static final String SERVICE_NAME = "switchboard.service-name";

    /** The CloudEvents {@code source} of published events, a URI reference. Default {@code /<service-name>}. */
    public static final String SOURCE = "switchboard.source";

    /**
     * What to do about missing topics and groups: {@code create} (the default), {@code validate} (a missing topic
     * fails with {@link ErrorCode#NOT_FOUND}) or {@code none}.
     */
    public static final String PROVISIONING = "switchboard.provisioning";

    /** How long an operation waits for an unreachable broker before {@link ErrorCode#UNAVAILABLE}. Default {@code 10s}. */
    public static final String CONNECT_TIMEOUT = "switchboard.connect-timeout";

    /** The deadline of a publish, after which it fails with {@link ErrorCode#DEADLINE_EXCEEDED}. Default {@code 30s}. */
    public static final String PUBLISH_TIMEOUT = "switchboard.publish.timeout";

    /** The default handler concurrency of a subscription. Default {@code 1}. */
    public static final String CONCURRENCY = "switchboard.consumer.concurrency";

    /** The default number of deliveries held per unit of concurrency. Default {@code 16}. */
    public static final String PREFETCH = "switchboard.consumer.prefetch";

    /** How long one receive call waits for deliveries. Default {@code 500ms}. */
    public static final String POLL_TIMEOUT = "switchboard.consumer.poll-timeout";

    /** What happens to events whose type no handler takes: {@code skip} (the default) or {@code dead-letter}. */
    public static final String UNKNOWN_TYPES = "switchboard.consumer.unknown-types";

    /** The default number of attempts before dead-lettering, the first included. Default {@code 5}. */
    public static final String RETRY_MAX_ATTEMPTS = "switchboard.retry.max-attempts";

    /** The default delay before the second attempt. Default {@code 200ms}. */
    public static final String RETRY_INITIAL_BACKOFF = "switchboard.retry.initial-backoff";

    /** The default cap on the retry delay. Default {@code 30s}, or the initial backoff if that is longer. */
    public static final String RETRY_MAX_BACKOFF = "switchboard.retry.max-backoff";

    /** The default growth factor of the retry delay. Default {@code 2.0}. */
    public static final String RETRY_MULTIPLIER = "switchboard.retry.multiplier";

    /** The default random spread of the retry delay, a fraction from 0.0 to 1.0. Default {@code 0.2}. */
    public static final String RETRY_JITTER = "switchboard.retry.jitter";

    /**
     * The dead-letter destination, a pattern in which {@code {topic}} and {@code {group}} (both required) are
     * replaced. Default {@code {topic}.{group}.dlq}.
     */
    public static final String DEAD_LETTER_DESTINATION = "switchboard.dead-letter.destination";

    /** How long {@link Messaging#close()} waits for running handlers. Default {@code 30s}. */
    public static final String SHUTDOWN_TIMEOUT = "switchboard.shutdown.timeout";

    /**
     * Whether the SLF4J MDC holds the event's id, type, topic, group, attempt and correlation id while its handler
     * runs ({@code eventId}, {@code eventType}, {@code eventTopic}, {@code eventGroup}, {@code eventAttempt},
     * {@code correlationId}). Default {@code true}.
     */
    public static final String LOGGING_MDC = "switchboard.logging.mdc";

    private SwitchboardProperties() {
    }
}
