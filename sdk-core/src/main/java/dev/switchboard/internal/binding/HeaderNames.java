package dev.switchboard.internal.binding;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The binary-mode header names of one prefix, built once instead of concatenated for every message. Immutable;
 * instances are cached per prefix (a process uses one or two).
 */
final class HeaderNames {
    private static final Map<String, HeaderNames> BY_PREFIX = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED_EXTENSIONS = 256;
    private static final String PARTITION_KEY = dev.switchboard.EventEnvelope.PARTITION_KEY;

    final String prefix;
    final String specVersion;
    final String id;
    final String source;
    final String type;
    final String time;
    final String subject;
    final String dataSchema;
    final String partitionKey;
    private final Map<String, String> extensions = new ConcurrentHashMap<>();

    private HeaderNames(String prefix) {
        this.prefix = prefix;
        this.specVersion = prefix + "specversion";
        this.id = prefix + "id";
        this.source = prefix + "source";
        this.type = prefix + "type";
        this.time = prefix + "time";
        this.subject = prefix + "subject";
        this.dataSchema = prefix + "dataschema";
        this.partitionKey = prefix + PARTITION_KEY;
    }

    static HeaderNames of(String prefix) {
        HeaderNames names = BY_PREFIX.get(prefix);
        return names != null ? names : BY_PREFIX.computeIfAbsent(prefix, HeaderNames::new);
    }

    /** The header name of an extension; remembered for the first few hundred distinct extension names. */
    String extension(String name) {
        String header = extensions.get(name);
        if (header == null) {
            header = prefix + name;
            if (extensions.size() < MAX_REMEMBERED_EXTENSIONS) {
                extensions.put(name, header);
            }
        }
        return header;
    }

    /** Whether {@code header} is the {@code partitionkey} attribute, matched as the reader matches names. */
    boolean isPartitionKey(String header) {
        int length = prefix.length() + PARTITION_KEY.length();
        return header.length() == length && (header.equals(partitionKey) || (isAttribute(header)
                && header.regionMatches(true, prefix.length(), PARTITION_KEY, 0, PARTITION_KEY.length())));
    }

    /** Whether {@code header} starts with the prefix (ignoring case) and has a name after it. */
    boolean isAttribute(String header) {
        return header.length() > prefix.length() && header.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
