package dev.switchboard.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.EventEnvelope;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class EnvelopeJsonTest {
    @Test
    void everyAttributeAndExtensionSurvivesTheRow() {
        EventEnvelope envelope = EventEnvelope.builder().type("t.x").source("/s").time(OffsetDateTime.parse(
                        "2026-11-30T21:00:00.123456+01:00")).subject("sub").dataContentType("application/json")
                .dataSchema("urn:schema:1").partitionKey("k").correlationId("c").causationId("d")
                .traceParent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").extension("tenant", "acme")
                .data(new byte[] {1, 2, 3}).build();

        EventEnvelope read = EnvelopeJson.envelope(EnvelopeJson.attributes(envelope), envelope.data());

        assertThat(read).isEqualTo(envelope);
        assertThat(read.time()).isEqualTo(envelope.time());
    }

    @Test
    void aRowThatMakesNoEnvelopeFails() {
        assertThatThrownBy(() -> EnvelopeJson.envelope("not json", new byte[0])).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> EnvelopeJson.envelope("{\"id\":\"1\"}", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
    }
}
