package dev.switchboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.internal.JacksonPayloadCodec;

/**
 * Turns payload objects into bytes and back. Jackson JSON by default; plug another in with
 * {@link Messaging.Builder#codec(PayloadCodec)}. Implementations must be thread-safe.
 *
 * @since 0.1
 */
public interface PayloadCodec {
    /** The {@code datacontenttype} this codec writes, such as {@code application/json}. */
    String contentType();

    /**
     * Encodes a payload into a new array, which the envelope then owns (it is not copied, so the codec must
     * not keep or reuse it).
     *
     * @throws Exception if the payload cannot be encoded; the publish fails with
     *     {@link ErrorCode#INVALID_ARGUMENT} and nothing is sent
     */
    byte[] encode(Object payload) throws Exception;

    /**
     * Decodes a payload.
     *
     * @throws Exception if the bytes cannot be decoded into {@code type}; the delivery goes to the dead letter
     *     at once
     */
    <T> T decode(byte[] data, Class<T> type) throws Exception;

    /** Jackson JSON with Java time support, unknown properties ignored. */
    static PayloadCodec json() {
        return JacksonPayloadCodec.withDefaults();
    }

    /** Jackson JSON with the caller's mapper (which must not be reconfigured afterwards). */
    static PayloadCodec json(ObjectMapper mapper) {
        return new JacksonPayloadCodec(mapper);
    }
}
