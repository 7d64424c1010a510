package dev.switchboard.aws.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SNS topic and SQS queue names from Switchboard's names: characters outside {@code [A-Za-z0-9_-]} become
 * {@code -}, a name over the limit is cut and given a hash of the whole so that two long names stay apart,
 * and FIFO names end with {@code .fifo}.
 */
final class AwsNames {
    static final int MAX_QUEUE_NAME = 80;
    static final int MAX_TOPIC_NAME = 256;
    private static final String FIFO_SUFFIX = ".fifo";

    private AwsNames() {
    }

    static String topic(String prefix, String topic, boolean fifo) {
        return name(prefix + topic, MAX_TOPIC_NAME, fifo);
    }

    /** The queue of a group: {@code <prefix><topic>-<group>}. */
    static String groupQueue(String prefix, String topic, String group, boolean fifo) {
        return name(prefix + topic + "-" + group, MAX_QUEUE_NAME, fifo);
    }

    /** A dead-letter queue from its destination name ({@code <topic>.<group>.dlq} by default). */
    static String queue(String prefix, String destination, boolean fifo) {
        return name(prefix + destination, MAX_QUEUE_NAME, fifo);
    }

    static String name(String raw, int limit, boolean fifo) {
        String clean = raw.replaceAll("[^A-Za-z0-9_-]", "-");
        int room = limit - (fifo ? FIFO_SUFFIX.length() : 0);
        if (clean.length() > room) {
            String hash = hash(raw);
            clean = clean.substring(0, room - hash.length() - 1) + "-" + hash;
        }
        return fifo ? clean + FIFO_SUFFIX : clean;
    }

    private static String hash(String raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
