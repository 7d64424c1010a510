package dev.switchboard.aws.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SNS topic and SQS queue names from Switchboard's names: characters outside {@code [A-Za-z0-9_-]} become
 * {@code -}, and FIFO names end with {@code .fifo}. Whenever that could make two names one — a character was
 * replaced ({@code orders.eu} and {@code orders-eu}), a group queue joins a topic and a group that contain
 * {@code -} ({@code a}/{@code b-c} and {@code a-b}/{@code c}), or a name over the limit is cut — a hash of
 * the original is appended, so distinct names stay distinct. Plain names stay as they are.
 */
final class AwsNames {
    static final int MAX_QUEUE_NAME = 80;
    static final int MAX_TOPIC_NAME = 256;
    private static final String FIFO_SUFFIX = ".fifo";

    private AwsNames() {
    }

    static String topic(String prefix, String topic, boolean fifo) {
        return name(prefix + topic, prefix + topic, false, MAX_TOPIC_NAME, fifo);
    }

    /** The queue of a group: {@code <prefix><topic>-<group>}. */
    static String groupQueue(String prefix, String topic, String group, boolean fifo) {
        boolean joinIsAmbiguous = topic.contains("-") || group.contains("-");
        return name(prefix + topic + "-" + group, prefix + topic + '\u0000' + group, joinIsAmbiguous, MAX_QUEUE_NAME, fifo);
    }

    /** A dead-letter queue from its destination name ({@code <topic>.<group>.dlq} by default). */
    static String queue(String prefix, String destination, boolean fifo) {
        return name(prefix + destination, prefix + destination, false, MAX_QUEUE_NAME, fifo);
    }

    /**
     * @param raw the name as wanted
     * @param identity what the hash is computed from: the parts that must stay apart
     * @param ambiguous whether a hash is needed even if nothing is replaced or cut
     */
    private static String name(String raw, String identity, boolean ambiguous, int limit, boolean fifo) {
        String clean = raw.replaceAll("[^A-Za-z0-9_-]", "-");
        int room = limit - (fifo ? FIFO_SUFFIX.length() : 0);
        if (ambiguous || !clean.equals(raw) || clean.length() > room) {
            String hash = hash(identity);
            clean = clean.substring(0, Math.min(clean.length(), room - hash.length() - 1)) + "-" + hash;
        }
        return fifo ? clean + FIFO_SUFFIX : clean;
    }

    private static String hash(String raw) {
        return HexFormat.of().formatHex(sha256(raw), 0, 4);
    }

    /** The SHA-256 digest of {@code text} in UTF-8. */
    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
