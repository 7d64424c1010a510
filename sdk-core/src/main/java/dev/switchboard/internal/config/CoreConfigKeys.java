package dev.switchboard.internal.config;

import static dev.switchboard.SwitchboardProperties.*;

import dev.switchboard.spi.ConfigKey;
import java.util.List;

/** The portable keys of {@link dev.switchboard.SwitchboardProperties} with their descriptions, for validation. */
public final class CoreConfigKeys {
    /** Every portable key with its description. */
    public static final List<ConfigKey> ALL = List.of(
            ConfigKey.of(BROKER, "the provider: kafka, rabbitmq, sns-sqs or in-memory; optional with one provider on the classpath"),
            ConfigKey.of(SERVICE_NAME, "this service's name, used for the default event source and client ids"),
            ConfigKey.of(SOURCE, "the CloudEvents source of published events (URI reference); default /<service-name>"),
            ConfigKey.of(PROVISIONING, "create, validate or none: what to do about missing topics and groups"),
            ConfigKey.of(CONNECT_TIMEOUT, "how long an operation waits for an unreachable broker before UNAVAILABLE"),
            ConfigKey.of(PUBLISH_TIMEOUT, "deadline of a publish, after which it fails with DEADLINE_EXCEEDED"),
            ConfigKey.of(CONCURRENCY, "default handler concurrency of a subscription"),
            ConfigKey.of(PREFETCH, "default deliveries held per unit of concurrency"),
            ConfigKey.of(POLL_TIMEOUT, "how long one receive call waits for deliveries"),
            ConfigKey.of(UNKNOWN_TYPES, "skip or dead-letter: events whose type no handler takes"),
            ConfigKey.of(RETRY_MAX_ATTEMPTS, "default attempts before dead-lettering, the first included"),
            ConfigKey.of(RETRY_INITIAL_BACKOFF, "default delay before the second attempt"),
            ConfigKey.of(RETRY_MAX_BACKOFF, "default cap on the retry delay"),
            ConfigKey.of(RETRY_MULTIPLIER, "default growth factor of the retry delay"),
            ConfigKey.of(RETRY_JITTER, "default random spread of the retry delay, 0.0 to 1.0"),
            ConfigKey.of(DEAD_LETTER_DESTINATION, "dead-letter destination pattern; {topic} and {group} are replaced"),
            ConfigKey.of(SHUTDOWN_TIMEOUT, "how long close() waits for in-flight handlers"),
            ConfigKey.of(LOGGING_MDC, "true or false: the event's id, type, topic, group, attempt and correlation id in"
                    + " the SLF4J MDC while its handler runs; default true"));

    private CoreConfigKeys() {
    }
}
