package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.switchboard.PayloadCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default codec, with its reader and writer kept per payload class. */
class JacksonPayloadCodecTest {
    record Line(String sku, int quantity) {
    }

    record Order(String id, Instant placedAt, List<Line> lines) {
    }

    record Note(String text) {
    }

    @Test
    void roundTripsRecordsOfSeveralClassesWithTheirOwnReaders() throws Exception {
        PayloadCodec codec = PayloadCodec.json();
        Order order = new Order("o-1", Instant.parse("2026-11-30T12:00:00.5Z"), List.of(new Line("s-1", 2)));

        for (int i = 0; i < 3; i++) {
            assertThat(codec.decode(codec.encode(order), Order.class)).isEqualTo(order);
            assertThat(codec.decode(codec.encode(new Note("n" + i)), Note.class)).isEqualTo(new Note("n" + i));
        }
        assertThat(new String(codec.encode(order), StandardCharsets.UTF_8)).contains("\"2026-11-30T12:00:00.500Z\"");
    }

    @Test
    void theDefaultsIgnoreUnknownPropertiesAndRejectJsonNull() {
        PayloadCodec codec = PayloadCodec.json();

        assertThat(decode(codec, "{\"text\":\"hi\",\"extra\":1}", Note.class)).isEqualTo(new Note("hi"));
        assertThatThrownBy(() -> codec.decode("null".getBytes(StandardCharsets.UTF_8), Note.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON null");
    }

    @Test
    void aCallersMapperKeepsItsConfiguration() throws Exception {
        PayloadCodec codec = PayloadCodec.json(new ObjectMapper().findAndRegisterModules()
                .enable(SerializationFeature.INDENT_OUTPUT));

        assertThat(new String(codec.encode(new Note("hi")), StandardCharsets.UTF_8)).contains("\n");
        assertThatThrownBy(() -> codec.decode("{\"text\":\"hi\",\"extra\":1}".getBytes(StandardCharsets.UTF_8), Note.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void aNullPayloadEncodesAsJsonNull() throws Exception {
        assertThat(new String(PayloadCodec.json().encode(null), StandardCharsets.UTF_8)).isEqualTo("null");
    }

    private static <T> T decode(PayloadCodec codec, String json, Class<T> type) {
        try {
            return codec.decode(json.getBytes(StandardCharsets.UTF_8), type);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
