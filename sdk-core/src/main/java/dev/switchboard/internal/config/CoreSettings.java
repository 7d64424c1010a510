package dev.switchboard.internal.config;

import static dev.switchboard.SwitchboardProperties.*;

import dev.switchboard.ConfigurationException;
import dev.switchboard.Provisioning;
import dev.switchboard.RetryPolicy;
import dev.switchboard.SwitchboardConfig;
import dev.switchboard.UnknownTypePolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * The portable settings, parsed and validated once at startup so that a bad value fails there.
 */
public record CoreSettings(String serviceName, String source, Provisioning provisioning, Duration connectTimeout,
                           Duration publishTimeout, int concurrency, int prefetch, Duration pollTimeout,
                           UnknownTypePolicy unknownTypes, RetryPolicy retryPolicy, String deadLetterPattern,
                           Duration shutdownTimeout, boolean mdc) {

    public static CoreSettings from(SwitchboardConfig config) {
        String serviceName = config.string(SERVICE_NAME, "switchboard-service");
        String source = config.string(SOURCE, "/" + serviceName);
        try {
            new URI(source);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(SOURCE, SOURCE + " must be a URI reference, was \"" + source + "\"");
        }
        RetryPolicy retry;
        try {
            Duration initial = config.duration(RETRY_INITIAL_BACKOFF, Duration.ofMillis(200));
            Duration defaultCap = initial.compareTo(Duration.ofSeconds(30)) > 0 ? initial : Duration.ofSeconds(30);
            retry = RetryPolicy.exponential(config.integer(RETRY_MAX_ATTEMPTS, 5, 1), initial)
                    .withMaxBackoff(config.duration(RETRY_MAX_BACKOFF, defaultCap))
                    .withMultiplier(config.decimal(RETRY_MULTIPLIER, 2.0))
                    .withJitter(config.decimal(RETRY_JITTER, 0.2));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("switchboard.retry", "switchboard.retry.*: " + e.getMessage());
        }
        String pattern = config.string(DEAD_LETTER_DESTINATION, "{topic}.{group}.dlq");
        if (!pattern.contains("{topic}") || !pattern.contains("{group}")) {
            throw new ConfigurationException(DEAD_LETTER_DESTINATION, DEAD_LETTER_DESTINATION
                    + " must contain {topic} and {group}, was \"" + pattern + "\"");
        }
        return new CoreSettings(serviceName, source,
                config.enumValue(PROVISIONING, Provisioning.class, Provisioning.CREATE),
                config.duration(CONNECT_TIMEOUT, Duration.ofSeconds(10)),
                config.duration(PUBLISH_TIMEOUT, Duration.ofSeconds(30)),
                config.integer(CONCURRENCY, 1, 1),
                config.integer(PREFETCH, 16, 1),
                config.duration(POLL_TIMEOUT, Duration.ofMillis(500)),
                config.enumValue(UNKNOWN_TYPES, UnknownTypePolicy.class, UnknownTypePolicy.SKIP),
                retry, pattern,
                config.duration(SHUTDOWN_TIMEOUT, Duration.ofSeconds(30)),
                config.bool(LOGGING_MDC, true));
    }

    public String deadLetterDestination(String topic, String group) {
        return deadLetterPattern.replace("{topic}", topic).replace("{group}", group);
    }
}
