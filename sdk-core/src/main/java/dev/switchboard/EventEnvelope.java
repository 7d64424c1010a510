package dev.switchboard;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One event as it travels between services: the CloudEvents 1.0 context attributes, string extensions and
 * the payload bytes.
 *
 * <pre>{@code
 * EventEnvelope envelope = EventEnvelope.builder()
 *     .type("com.shop.order.placed")
 *     .source("/orders")
 *     .partitionKey("o-42")
 *     .data("{\"id\":\"o-42\"}")
 *     .build();
 * }</pre>
 *
 * <p>Envelopes are immutable and thread-safe. {@link Builder#build()} validates eagerly and names the bad
 * value: an empty {@code id} or {@code type}, a {@code source} or {@code dataschema} that is not a URI
 * reference, or an extension name that breaks the CloudEvents naming rule (lower-case ASCII letters and
 * digits only) is an {@link IllegalArgumentException}. A missing id is generated (a time-ordered UUID, version 7); a missing
 * {@code source} and {@code time} are filled in by the {@link Publisher} from configuration and the clock.
 *
 * <p>First-class extensions: {@code partitionkey} (the ordering key), {@code correlationid},
 * {@code causationid}, {@code traceparent} and {@code tracestate}. Any other extension is a string.
 *
 * @since 0.1
 */
public final class EventEnvelope {
    /** The CloudEvents specification version this envelope implements. */
    public static final String SPEC_VERSION = "1.0";

    public static final String PARTITION_KEY = "partitionkey";
    public static final String CORRELATION_ID = "correlationid";
    public static final String CAUSATION_ID = "causationid";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    /** Context attribute names that extensions may not use. */
    public static final Set<String> CORE_ATTRIBUTES = Set.of(
            "id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "time",
            "data", "data_base64");

    /**
     * Sources and schemas already found valid: a service sees few distinct ones, and parsing a URI for every
     * event received is a measurable cost. Bounded; cleared when full.
     */
    private static final Map<String, Boolean> VALID_URIS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED_URIS = 1024;

    private final String id;
    private final String source;
    private final String type;
    private final String specVersion;
    private final OffsetDateTime time;
    private final String subject;
    private final String dataContentType;
    private final String dataSchema;
    private final Payload data;
    /**
     * Shared with builders made by {@link #toBuilder()}, which copy it before their first change; null when there
     * are no extensions.
     */
    private final TreeMap<String, String> extensionMap;
    private final Map<String, String> extensions;

    private EventEnvelope(Builder b) {
        this.id = b.id != null ? b.id : EventIds.next();
        this.source = b.source;
        this.type = b.type;
        this.specVersion = b.specVersion;
        this.time = b.time;
        this.subject = b.subject;
        this.dataContentType = b.dataContentType;
        this.dataSchema = b.dataSchema;
        this.data = b.data;
        TreeMap<String, String> shared = b.shareExtensions();
        // no map at all for the common envelope without extensions (a builder makes one on its first extension)
        this.extensionMap = shared == null || shared.isEmpty() ? null : shared;
        this.extensions = extensionMap == null ? Collections.emptySortedMap()
                : Collections.unmodifiableSortedMap(extensionMap);
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts as a copy of this envelope. */
    public Builder toBuilder() {
        Builder b = new Builder(extensionMap);
        b.id = id;
        b.source = source;
        b.type = type;
        b.specVersion = specVersion;
        b.time = time;
        b.subject = subject;
        b.dataContentType = dataContentType;
        b.dataSchema = dataSchema;
        b.data = data;
        return b;
    }

    /** The event id, unique per source. Never null or empty. */
    public String id() {
        return id;
    }

    /** The event source as a URI reference, or null when the publisher is to fill it in. */
    public String source() {
        return source;
    }

    /** The event type, for example {@code com.shop.order.placed}. Never null or empty. */
    public String type() {
        return type;
    }

    /** The CloudEvents spec version, {@value #SPEC_VERSION} unless a foreign producer said otherwise. */
    public String specVersion() {
        return specVersion;
    }

    /** When the event happened, or null when the publisher is to fill it in. */
    public OffsetDateTime time() {
        return time;
    }

    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    public Optional<String> dataContentType() {
        return Optional.ofNullable(dataContentType);
    }

    public Optional<String> dataSchema() {
        return Optional.ofNullable(dataSchema);
    }

    /** The payload (empty when the event has no data). */
    public Payload payload() {
        return data;
    }

    /** A copy of the payload bytes (empty when the event has no data). */
    public byte[] data() {
        return data.toByteArray();
    }

    /** The payload as a read-only buffer, without copying. */
    public ByteBuffer dataBuffer() {
        return data.asReadOnlyBuffer();
    }

    /** The payload decoded as UTF-8 text. */
    public String dataAsString() {
        return data.asString();
    }

    public int dataLength() {
        return data.size();
    }

    /** Every extension attribute, sorted by name, unmodifiable. */
    public Map<String, String> extensions() {
        return extensions;
    }

    public Optional<String> extension(String name) {
        return Optional.ofNullable(extensions.get(name));
    }

    /** The ordering key: events with the same key are handled in publish order within a group. */
    public Optional<String> partitionKey() {
        return extension(PARTITION_KEY);
    }

    public Optional<String> correlationId() {
        return extension(CORRELATION_ID);
    }

    public Optional<String> causationId() {
        return extension(CAUSATION_ID);
    }

    /** W3C trace context {@code traceparent}, propagated unchanged. */
    public Optional<String> traceParent() {
        return extension(TRACEPARENT);
    }

    public Optional<String> traceState() {
        return extension(TRACESTATE);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EventEnvelope)) {
            return false;
        }
        EventEnvelope that = (EventEnvelope) o;
        return id.equals(that.id) && Objects.equals(source, that.source) && type.equals(that.type)
                && specVersion.equals(that.specVersion) && sameInstant(time, that.time)
                && Objects.equals(subject, that.subject) && Objects.equals(dataContentType, that.dataContentType)
                && Objects.equals(dataSchema, that.dataSchema) && data.equals(that.data)
                && extensions.equals(that.extensions);
    }

    private static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b == null : b != null && a.isEqual(b);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, source, type, extensions) * 31 + data.hashCode();
    }

    /** Attributes only; the payload is summarised by its length so that payloads never reach logs. */
    @Override
    public String toString() {
        return "EventEnvelope{id=" + id + ", type=" + type + ", source=" + source + ", time=" + time
                + (subject != null ? ", subject=" + subject : "")
                + (dataContentType != null ? ", datacontenttype=" + dataContentType : "")
                + ", extensions=" + extensions + ", data=" + data.size() + " bytes}";
    }

    /**
     * Builds an {@link EventEnvelope}; not thread-safe. Setters reject bad values at once, naming them.
     *
     * @since 0.1
     */
    public static final class Builder {
        private String id;
        private String source;
        private String type;
        private String specVersion = SPEC_VERSION;
        private OffsetDateTime time;
        private String subject;
        private String dataContentType;
        private String dataSchema;
        private Payload data = Payload.EMPTY;
        /** Null until the first extension is set: most envelopes have none. */
        private TreeMap<String, String> extensions;
        /** Whether {@link #extensions} belongs to a built envelope too: copied before the next change. */
        private boolean extensionsShared;

        private Builder() {
        }

        /**
         * A builder over an envelope's extensions (null if it has none), which it copies before its first change
         * ({@link #toBuilder()}).
         */
        private Builder(TreeMap<String, String> shared) {
            this.extensions = shared;
            this.extensionsShared = shared != null;
        }

        /** The event id; generated (a time-ordered UUID, version 7) when never set. */
        public Builder id(String id) {
            this.id = requireText("id", id);
            return this;
        }

        /** The source, a URI reference such as {@code /orders} or {@code urn:shop:orders}. */
        public Builder source(String source) {
            this.source = requireUriReference("source", source);
            return this;
        }

        public Builder source(URI source) {
            return source(Objects.requireNonNull(source, "source must not be null").toString());
        }

        public Builder type(String type) {
            this.type = requireText("type", type);
            return this;
        }

        /** Only for envelopes read from the wire; publishing always writes {@value #SPEC_VERSION}. */
        public Builder specVersion(String specVersion) {
            this.specVersion = requireText("specversion", specVersion);
            return this;
        }

        public Builder time(OffsetDateTime time) {
            this.time = time;
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder dataContentType(String dataContentType) {
            this.dataContentType = dataContentType == null || dataContentType.isEmpty() ? null : dataContentType;
            return this;
        }

        public Builder dataSchema(String dataSchema) {
            this.dataSchema = dataSchema == null ? null : requireUriReference("dataschema", dataSchema);
            return this;
        }

        /** The payload; the array is copied. */
        public Builder data(byte[] data) {
            this.data = Payload.copyOf(data);
            return this;
        }

        /** The payload; null is the empty payload. */
        public Builder data(Payload data) {
            this.data = data == null ? Payload.EMPTY : data;
            return this;
        }

        /** A text payload, stored as UTF-8; sets {@code datacontenttype} to {@code text/plain} when unset. */
        public Builder data(String text) {
            this.data = text == null ? Payload.EMPTY : Payload.of(text);
            if (dataContentType == null && text != null) {
                dataContentType = "text/plain; charset=utf-8";
            }
            return this;
        }

        /**
         * Sets a string extension attribute; a null value removes it.
         *
         * @throws IllegalArgumentException if the name is not lower-case ASCII letters and digits, or is a
         *     core attribute name
         */
        public Builder extension(String name, String value) {
            validateExtensionName(name);
            if (value == null && extensions == null) {
                return this;
            }
            if (extensions == null) {
                extensions = new TreeMap<>();
            } else if (extensionsShared) {
                extensions = new TreeMap<>(extensions);
                extensionsShared = false;
            }
            if (value == null) {
                extensions.remove(name);
            } else {
                extensions.put(name, value);
            }
            return this;
        }

        /** Sets every entry as an extension; see {@link #extension(String, String)}. */
        public Builder extensions(Map<String, String> values) {
            values.forEach(this::extension);
            return this;
        }

        public Builder partitionKey(String key) {
            return extension(PARTITION_KEY, key);
        }

        public Builder correlationId(String correlationId) {
            return extension(CORRELATION_ID, correlationId);
        }

        public Builder causationId(String causationId) {
            return extension(CAUSATION_ID, causationId);
        }

        public Builder traceParent(String traceParent) {
            return extension(TRACEPARENT, traceParent);
        }

        public Builder traceState(String traceState) {
            return extension(TRACESTATE, traceState);
        }

        /**
         * Validates and builds the envelope.
         *
         * @throws IllegalArgumentException if {@code type} was never set
         */
        public EventEnvelope build() {
            if (type == null) {
                throw new IllegalArgumentException("type is required (for example \"com.shop.order.placed\"), was null");
            }
            return new EventEnvelope(this);
        }

        /**
         * Gives the extensions to an envelope being built (null if none were set); this builder copies them before
         * changing them again.
         */
        private TreeMap<String, String> shareExtensions() {
            extensionsShared = extensions != null;
            return extensions;
        }

        private static void validateExtensionName(String name) {
            if (!isExtensionName(name)) {
                throw new IllegalArgumentException("extension name must be lower-case ASCII letters and digits"
                        + " (CloudEvents naming), was \"" + name + "\"");
            }
            if (CORE_ATTRIBUTES.contains(name)) {
                throw new IllegalArgumentException("extension name \"" + name
                        + "\" is a CloudEvents context attribute; set it with its own builder method");
            }
        }

        /** Lower-case ASCII letters and digits, at least one: CloudEvents' naming rule. */
        private static boolean isExtensionName(String name) {
            if (name == null || name.isEmpty()) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if ((c < 'a' || c > 'z') && (c < '0' || c > '9')) {
                    return false;
                }
            }
            return true;
        }

        private static String requireText(String attribute, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(attribute + " must be a non-empty string, was "
                        + (value == null ? "null" : "\"" + value + "\""));
            }
            return value;
        }

        private static String requireUriReference(String attribute, String value) {
            requireText(attribute, value);
            if (VALID_URIS.containsKey(value)) {
                return value;
            }
            try {
                new URI(value);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(attribute + " must be a URI reference, was \"" + value
                        + "\": " + e.getReason(), e);
            }
            if (VALID_URIS.size() >= MAX_REMEMBERED_URIS) {
                VALID_URIS.clear();
            }
            VALID_URIS.put(value, Boolean.TRUE);
            return value;
        }
    }
}
