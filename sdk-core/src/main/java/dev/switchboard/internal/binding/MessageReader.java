package dev.switchboard.internal.binding;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Payload;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads one message's CloudEvents attributes as its headers pass by, then builds the envelope, leniently
 * (see {@link CloudEventsBinding#decode}). One per message; not thread-safe.
 */
final class MessageReader {
    private final HeaderNames names;
    private String id;
    private String source;
    private String type;
    private String specVersion;
    private String time;
    private String subject;
    private String dataContentType;
    private String dataSchema;
    private TreeMap<String, String> extensions;
    private OffsetDateTime transportTime;

    MessageReader(HeaderNames names) {
        this.names = names;
    }

    /**
     * One transport header; those without the prefix (matched ignoring case) are not attributes and are
     * ignored. A later header of the same attribute replaces an earlier one.
     */
    MessageReader header(String name, String value) {
        // the context attributes every message has, by their exact header names (no substring per header);
        // any other spelling or attribute goes through the lower-cased name
        if (name.equals(names.id)) {
            id = value;
        } else if (name.equals(names.type)) {
            type = value;
        } else if (name.equals(names.source)) {
            source = value;
        } else if (name.equals(names.time)) {
            time = value;
        } else if (name.equals(names.specVersion)) {
            specVersion = value;
        } else if (names.isAttribute(name)) {
            // header names are case-insensitive on most transports; attribute names are lower case
            attribute(name.substring(names.prefix.length()).toLowerCase(Locale.ROOT), value);
        }
        return this;
    }

    /** One attribute by its CloudEvents name (lower case, no prefix): a context attribute or an extension. */
    MessageReader attribute(String name, String value) {
        switch (name) {
            case "id" -> id = value;
            case "type" -> type = value;
            case "source" -> source = value;
            case "time" -> time = value;
            case "specversion" -> specVersion = value;
            case "subject" -> subject = value;
            case "datacontenttype" -> dataContentType = value;
            case "dataschema" -> dataSchema = value;
            default -> {
                if (extensions == null) {
                    extensions = new TreeMap<>();
                }
                extensions.put(name, value);
            }
        }
        return this;
    }

    /**
     * Builds the envelope from the headers read so far (binary mode).
     *
     * @param contentType the transport content type, or null
     * @param fallbackId the id of a message that carries none (the transport's own id for it); asked only then
     * @param fallbackSource the source of a message that carries none, or an invalid one; a valid URI reference
     * @param transportTime the time the transport carries for the event outside the attributes, or null: the
     *     time of a message without a {@code time} attribute
     */
    CloudEventsBinding.Read read(String contentType, Payload body, Supplier<String> fallbackId, String fallbackSource,
                                 OffsetDateTime transportTime) {
        if (contentType != null) {
            dataContentType = contentType;
        }
        this.transportTime = transportTime;
        return build(body, fallbackId, fallbackSource, null);
    }

    /** Builds the envelope; {@code problems} holds what was already found wrong, or is null. */
    CloudEventsBinding.Read build(Payload body, Supplier<String> fallbackId, String fallbackSource, List<String> problems) {
        Objects.requireNonNull(fallbackSource, "fallbackSource");
        EventEnvelope.Builder b = EventEnvelope.builder().data(body);
        String fallback = isBlank(id) ? fallbackId.get() : null;
        if (!isBlank(id) || !isBlank(fallback)) {
            b.id(!isBlank(id) ? id : fallback);
        }
        b.type(isBlank(type) ? CloudEventsBinding.FOREIGN_TYPE : type);
        try {
            b.source(isBlank(source) ? fallbackSource : source);
        } catch (IllegalArgumentException e) {
            problems = add(problems, e.getMessage());
            b.source(fallbackSource);
        }
        if (!isBlank(specVersion) && !EventEnvelope.SPEC_VERSION.equals(specVersion)) {
            problems = add(problems, "specversion \"" + specVersion + "\" is not supported; this reader implements "
                    + "CloudEvents " + EventEnvelope.SPEC_VERSION);
        }
        if (time != null) {
            try {
                b.time(Rfc3339.parse(time));
            } catch (DateTimeParseException e) {
                problems = add(problems, "time is not an RFC 3339 timestamp, was \"" + time + "\"");
            }
        } else if (transportTime != null) {
            b.time(transportTime);
        }
        b.subject(subject);
        b.dataContentType(dataContentType);
        try {
            b.dataSchema(dataSchema);
        } catch (IllegalArgumentException e) {
            problems = add(problems, e.getMessage());
        }
        if (extensions != null) {
            for (var extension : extensions.entrySet()) {
                try {
                    b.extension(extension.getKey(), extension.getValue());
                } catch (IllegalArgumentException e) {
                    problems = add(problems, e.getMessage());
                }
            }
        }
        return new CloudEventsBinding.Read(b.build(),
                problems == null || problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)));
    }

    private static List<String> add(List<String> problems, String problem) {
        List<String> list = problems != null ? problems : new ArrayList<>();
        list.add(problem);
        return list;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
