package dev.switchboard.aws;

import dev.switchboard.ConfigurationException;
import dev.switchboard.SwitchboardConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * The SNS/SQS settings of a {@code switchboard.aws.*} configuration, validated at startup. Without explicit
 * keys, credentials come from the AWS default provider chain (environment, profile, container, instance
 * role). {@link #toString()} never shows a secret.
 *
 * @param region AWS region
 * @param endpoint an endpoint override for SNS and SQS (an emulator, a VPC endpoint), or empty
 * @param accessKeyId explicit access key id, or empty for the default chain
 * @param secretAccessKey explicit secret key (secret)
 * @param sessionToken explicit session token (secret), or empty
 * @param namePrefix prefix of every topic and queue name Switchboard makes
 * @param fifo whether topics and queues are FIFO (per-key order, deduplication by event id)
 * @param waitTime the longest long poll of one receive, 0–20 s; a receive waits as long as the runtime asks
 *     ({@code switchboard.consumer.poll-timeout}, rounded up to whole seconds), up to this
 * @param visibilityTimeout how long a received message stays invisible; extended while its handler runs
 * @param receivers receives a subscription runs at once, or 0 to derive from the in-flight limit (up to 4)
 * @param maxReceiveCount receives after which SQS's own redrive moves a message to the dead-letter queue, a
 *     safety net below Switchboard's own dead-lettering (for consumers that crash on a message)
 * @since 0.1
 */
public record AwsOptions(String region, Optional<URI> endpoint, Optional<String> accessKeyId, Optional<String> secretAccessKey,
                         Optional<String> sessionToken, String namePrefix, boolean fifo, Duration waitTime,
                         Duration visibilityTimeout, int receivers, int maxReceiveCount) {
    /** The namespace of every SNS/SQS key. */
    public static final String PREFIX = "switchboard.aws.";
    /** AWS region, such as {@code eu-west-1}; default the {@code AWS_REGION} environment variable. */
    public static final String REGION = PREFIX + "region";
    /** Endpoint override for SNS and SQS (an emulator, a VPC endpoint), such as {@code http://127.0.0.1:4566}. */
    public static final String ENDPOINT = PREFIX + "endpoint";
    /** Static credentials' access key id, with {@link #SECRET_ACCESS_KEY}; default the AWS default provider chain. */
    public static final String ACCESS_KEY_ID = PREFIX + "access-key-id";
    /** Static credentials' secret key, a secret. */
    public static final String SECRET_ACCESS_KEY = PREFIX + "secret-access-key";
    /** Static credentials' session token, a secret. */
    public static final String SESSION_TOKEN = PREFIX + "session-token";
    /** Prefix of every topic and queue name: letters, digits, {@code _} and {@code -}; default none. */
    public static final String NAME_PREFIX = PREFIX + "name-prefix";
    /** FIFO topics and queues: per-key order, deduplication by event id; default false. */
    public static final String FIFO = PREFIX + "fifo";
    /** Long-polling wait of one receive, at most 20s; default 20s. */
    public static final String WAIT_TIME = PREFIX + "sqs.wait-time";
    /** SQS visibility timeout, 5s to 12h, extended while a handler runs; default 30s. */
    public static final String VISIBILITY_TIMEOUT = PREFIX + "sqs.visibility-timeout";
    /** Parallel long-polling receivers per subscription; default 0, derived from the in-flight limit. */
    public static final String RECEIVERS = PREFIX + "sqs.receivers";
    /** Receives before SQS's own redrive to the dead-letter queue; default 100. */
    public static final String MAX_RECEIVE_COUNT = PREFIX + "sqs.max-receive-count";
    /** SQS limits: the longest long poll, the longest visibility timeout (and so redelivery delay). */
    public static final Duration MAX_WAIT = Duration.ofSeconds(20);
    public static final Duration MAX_VISIBILITY = Duration.ofHours(12);

    /**
     * Reads and validates the options.
     *
     * @throws ConfigurationException naming the key, for a malformed or out-of-range value
     */
    public static AwsOptions from(SwitchboardConfig config) {
        String region = config.string(REGION).or(() -> Optional.ofNullable(System.getenv("AWS_REGION")))
                .orElseThrow(() -> new ConfigurationException(REGION, REGION + " is required (or the AWS_REGION"
                        + " environment variable): expected a region such as eu-west-1"));
        Optional<URI> endpoint = config.string(ENDPOINT).map(AwsOptions::uri);
        Optional<String> key = config.string(ACCESS_KEY_ID);
        Optional<String> secret = config.string(SECRET_ACCESS_KEY);
        if (key.isPresent() != secret.isPresent()) {
            String missing = key.isPresent() ? SECRET_ACCESS_KEY : ACCESS_KEY_ID;
            throw new ConfigurationException(missing, missing + " is required when "
                    + (key.isPresent() ? ACCESS_KEY_ID : SECRET_ACCESS_KEY) + " is set");
        }
        String prefix = config.string(NAME_PREFIX, "");
        if (!prefix.matches("[A-Za-z0-9_-]*")) {
            throw new ConfigurationException(NAME_PREFIX, NAME_PREFIX + " may hold letters, digits, '_' and '-' only,"
                    + " was \"" + prefix + "\"");
        }
        Duration wait = config.duration(WAIT_TIME, MAX_WAIT);
        if (wait.compareTo(MAX_WAIT) > 0) {
            throw new ConfigurationException(WAIT_TIME, WAIT_TIME + " must be at most 20s (the SQS limit), was " + wait);
        }
        Duration visibility = config.duration(VISIBILITY_TIMEOUT, Duration.ofSeconds(30));
        if (visibility.compareTo(Duration.ofSeconds(5)) < 0 || visibility.compareTo(MAX_VISIBILITY) > 0) {
            throw new ConfigurationException(VISIBILITY_TIMEOUT, VISIBILITY_TIMEOUT + " must be between 5s and 12h,"
                    + " was " + visibility);
        }
        return new AwsOptions(region, endpoint, key, secret, config.string(SESSION_TOKEN), prefix,
                config.bool(FIFO, false), wait, visibility, config.integer(RECEIVERS, 0, 0),
                config.integer(MAX_RECEIVE_COUNT, 100, 1));
    }

    private static URI uri(String text) {
        try {
            URI uri = new URI(text.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(text, "expected http(s)://host[:port]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(ENDPOINT, ENDPOINT + " must be a URL such as http://127.0.0.1:4566, was \""
                    + SwitchboardConfig.maskUriPassword(text) + "\"");
        }
    }

    @Override
    public String toString() {
        String credentials = accessKeyId
                .map(id -> "static " + SwitchboardConfig.redact(ACCESS_KEY_ID, id) + "/" + SwitchboardConfig.REDACTED)
                .orElse("default chain");
        return "AwsOptions{region=" + region + ", endpoint="
                + endpoint.map(uri -> SwitchboardConfig.maskUriPassword(uri.toString())).orElse("AWS")
                + ", credentials=" + credentials
                + ", namePrefix=" + namePrefix + ", fifo=" + fifo + ", waitTime=" + waitTime + ", visibilityTimeout="
                + visibilityTimeout + ", receivers=" + (receivers == 0 ? "auto" : receivers) + ", maxReceiveCount="
                + maxReceiveCount + "}";
    }
}
