package dev.switchboard.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.switchboard.PayloadCodec;
import java.util.Objects;

/** The default codec: Jackson JSON. Thread-safe, as {@link ObjectMapper} is once configured. */
public final class JacksonPayloadCodec implements PayloadCodec {
    private static final JacksonPayloadCodec DEFAULTS = new JacksonPayloadCodec(new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));

    private final ObjectMapper mapper;

    public JacksonPayloadCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    public static JacksonPayloadCodec withDefaults() {
        return DEFAULTS;
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public byte[] encode(Object payload) throws Exception {
        return mapper.writeValueAsBytes(payload);
    }

    @Override
    public <T> T decode(byte[] data, Class<T> type) throws Exception {
        T value = mapper.readValue(data, type);
        if (value == null) {
            throw new IllegalArgumentException("payload is JSON null, expected a " + type.getSimpleName());
        }
        return value;
    }
}
