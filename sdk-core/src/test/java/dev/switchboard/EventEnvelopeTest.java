package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EventEnvelopeTest {

    private static EventEnvelope.Builder valid() {
        return EventEnvelope.builder().type("com.shop.order.placed").source("/orders");
    }

    private static EventEnvelope full() {
        return EventEnvelope.builder()
                .id("evt-1")
                .type("com.shop.order.placed")
                .source("/orders")
                .time(OffsetDateTime.of(2024, 5, 1, 12, 30, 15, 123_000_000, ZoneOffset.ofHours(2)))
                .subject("o-42")
                .dataContentType("application/json")
                .dataSchema("https://schemas.example.com/order.json")
                .data("{\"id\":\"o-42\"}".getBytes(StandardCharsets.UTF_8))
                .partitionKey("o-42")
                .correlationId("c-1")
                .causationId("c-0")
                .traceParent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .traceState("congo=t61rcWkgMzE")
                .extension("tenant", "acme")
                .build();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "\t"})
    void idMustBeText(String id) {
        assertThatThrownBy(() -> EventEnvelope.builder().id(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id must be a non-empty string, was ")
                .hasMessageEndingWith(id == null ? "null" : "\"" + id + "\"");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void typeMustBeText(String type) {
        assertThatThrownBy(() -> EventEnvelope.builder().type(type))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("type must be a non-empty string, was ")
                .hasMessageEndingWith(type == null ? "null" : "\"" + type + "\"");
    }

    @Test
    void buildWithoutTypeFails() {
        EventEnvelope.Builder builder = EventEnvelope.builder().source("/orders");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type is required")
                .hasMessageContaining("was null");
    }

    @Test
    void sourceMustBeUriReference() {
        assertThatThrownBy(() -> EventEnvelope.builder().source("ht tp://x y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source must be a URI reference")
                .hasMessageContaining("\"ht tp://x y\"");
    }

    @Test
    void emptySourceIsRejected() {
        assertThatThrownBy(() -> EventEnvelope.builder().source(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source must be a non-empty string");
    }

    @Test
    void sourceAcceptsRelativeUrnAndUriForms() {
        EventEnvelope relative = valid().source("/orders").build();
        EventEnvelope urn = valid().source("urn:shop:orders").build();
        EventEnvelope uri = valid().source(URI.create("https://shop.example.com/orders")).build();

        assertThat(relative.source()).isEqualTo("/orders");
        assertThat(urn.source()).isEqualTo("urn:shop:orders");
        assertThat(uri.source()).isEqualTo("https://shop.example.com/orders");
    }

    @Test
    void dataSchemaMustBeUriReference() {
        assertThatThrownBy(() -> EventEnvelope.builder().dataSchema("not a { uri"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataschema must be a URI reference")
                .hasMessageContaining("\"not a { uri\"");
    }

    @Test
    void nullDataSchemaClearsIt() {
        EventEnvelope envelope = valid().dataSchema("https://s.example.com/a.json").dataSchema(null).build();

        assertThat(envelope.dataSchema()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Tenant", "tenant-id", "tenant.id", "", "ten ant", "tenant_id", "ténant"})
    void extensionNamesMustBeLowerCaseAlphanumeric(String name) {
        assertThatThrownBy(() -> EventEnvelope.builder().extension(name, "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case ASCII letters and digits")
                .hasMessageContaining("was \"" + name + "\"");
    }

    @Test
    void nullExtensionNameIsRejected() {
        assertThatThrownBy(() -> EventEnvelope.builder().extension(null, "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was \"null\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "time",
            "data"})
    void extensionNamesMayNotBeCoreAttributes(String name) {
        assertThatThrownBy(() -> EventEnvelope.builder().extension(name, "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extension name \"" + name + "\" is a CloudEvents context attribute");
    }

    @Test
    void extensionsMapIsValidatedEntryByEntry() {
        Map<String, String> values = new HashMap<>();
        values.put("good", "1");
        values.put("Bad", "2");

        assertThatThrownBy(() -> EventEnvelope.builder().extensions(values))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"Bad\"");
    }

    @Test
    void nullExtensionValueRemovesIt() {
        EventEnvelope envelope = valid().extension("tenant", "acme").extension("tenant", null).build();

        assertThat(envelope.extensions()).doesNotContainKey("tenant");
        assertThat(envelope.extension("tenant")).isEmpty();
    }

    @Test
    void idIsGeneratedAsUuidWhenAbsent() {
        EventEnvelope first = valid().build();
        EventEnvelope second = valid().build();

        assertThat(UUID.fromString(first.id()).toString()).isEqualTo(first.id());
        assertThat(first.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(second.id()).isNotEqualTo(first.id());
    }

    @Test
    void explicitIdIsKept() {
        EventEnvelope envelope = valid().id("evt-7").build();

        assertThat(envelope.id()).isEqualTo("evt-7");
    }

    @Test
    void defaultsAreSpecVersionAndEmptyData() {
        EventEnvelope envelope = valid().build();

        assertThat(envelope.specVersion()).isEqualTo(EventEnvelope.SPEC_VERSION).isEqualTo("1.0");
        assertThat(envelope.data()).isEmpty();
        assertThat(envelope.dataLength()).isZero();
        assertThat(envelope.time()).isNull();
        assertThat(envelope.subject()).isEmpty();
        assertThat(envelope.dataContentType()).isEmpty();
        assertThat(envelope.extensions()).isEmpty();
    }

    @Test
    void dataReturnsACopy() {
        EventEnvelope envelope = valid().data(new byte[] {1, 2, 3}).build();

        byte[] returned = envelope.data();
        returned[0] = 99;

        assertThat(envelope.data()).containsExactly(1, 2, 3);
    }

    @Test
    void mutatingInputArrayAfterBuildDoesNotChangeEnvelope() {
        byte[] input = {1, 2, 3};
        EventEnvelope envelope = valid().data(input).build();

        input[0] = 99;

        assertThat(envelope.data()).containsExactly(1, 2, 3);
        assertThat(envelope.dataBuffer().get(0)).isEqualTo((byte) 1);
    }

    @Test
    void mutatingInputArrayBetweenSetAndBuildDoesNotChangeEnvelope() {
        byte[] input = {1, 2, 3};
        EventEnvelope.Builder builder = valid().data(input);

        input[0] = 99;
        EventEnvelope envelope = builder.build();

        assertThat(envelope.data()).containsExactly(1, 2, 3);
    }

    @Test
    void dataBufferIsReadOnly() {
        EventEnvelope envelope = valid().data(new byte[] {1, 2, 3}).build();

        assertThat(envelope.dataBuffer().isReadOnly()).isTrue();
        assertThat(envelope.dataBuffer().remaining()).isEqualTo(3);
    }

    @Test
    void extensionsAreUnmodifiable() {
        EventEnvelope envelope = valid().extension("tenant", "acme").build();

        assertThatThrownBy(() -> envelope.extensions().put("other", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> envelope.extensions().remove("tenant"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(envelope.extensions()).containsExactly(Map.entry("tenant", "acme"));
    }

    @Test
    void builderChangesAfterBuildDoNotLeakIntoEnvelope() {
        EventEnvelope.Builder builder = valid().extension("tenant", "acme");
        EventEnvelope envelope = builder.build();

        builder.extension("tenant", "other").extension("more", "x");

        assertThat(envelope.extensions()).containsExactly(Map.entry("tenant", "acme"));
    }

    @Test
    void anEnvelopeWithoutExtensionsHasAnEmptyUnmodifiableMapAndItsBuildersStartEmpty() {
        EventEnvelope plain = valid().build();

        assertThat(plain.extensions()).isEmpty();
        assertThat(plain.partitionKey()).isEmpty();
        assertThatThrownBy(() -> plain.extensions().put("tenant", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
        EventEnvelope removedNothing = plain.toBuilder().extension("tenant", null).build();
        EventEnvelope added = plain.toBuilder().extension("tenant", "acme").build();

        assertThat(removedNothing).isEqualTo(plain);
        assertThat(added.extensions()).containsExactly(Map.entry("tenant", "acme"));
        assertThat(plain.extensions()).isEmpty();
    }

    @Test
    void removingTheLastExtensionLeavesAnEnvelopeEqualToOneThatNeverHadIt() {
        EventEnvelope.Builder builder = valid().id("x").extension("tenant", "acme");
        EventEnvelope with = builder.build();

        EventEnvelope without = builder.extension("tenant", null).build();
        EventEnvelope readded = without.toBuilder().extension("tenant", "globex").build();

        assertThat(with.extensions()).containsExactly(Map.entry("tenant", "acme"));
        assertThat(without.extensions()).isEmpty();
        assertThat(without).isEqualTo(valid().id("x").build());
        assertThat(readded.extensions()).containsExactly(Map.entry("tenant", "globex"));
        assertThat(without.extensions()).isEmpty();
    }

    @Test
    void extensionsAreSortedByName() {
        EventEnvelope envelope = valid().extension("zeta", "1").extension("alpha", "2").extension("mid", "3").build();

        assertThat(envelope.extensions().keySet()).containsExactly("alpha", "mid", "zeta");
    }

    @Test
    void firstClassExtensionsUseTheirWireNames() {
        EventEnvelope envelope = full();

        assertThat(envelope.partitionKey()).contains("o-42");
        assertThat(envelope.correlationId()).contains("c-1");
        assertThat(envelope.causationId()).contains("c-0");
        assertThat(envelope.traceParent()).contains("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(envelope.traceState()).contains("congo=t61rcWkgMzE");
        assertThat(envelope.extensions()).containsKeys("partitionkey", "correlationid", "causationid",
                "traceparent", "tracestate", "tenant");
    }

    @Test
    void toBuilderRoundTripIsEqual() {
        EventEnvelope original = full();

        EventEnvelope copy = original.toBuilder().build();

        assertThat(copy).isEqualTo(original).isNotSameAs(original);
        assertThat(copy.hashCode()).isEqualTo(original.hashCode());
        assertThat(copy.id()).isEqualTo("evt-1");
        assertThat(copy.time()).isEqualTo(original.time());
        assertThat(copy.dataSchema()).isEqualTo(original.dataSchema());
        assertThat(copy.data()).isEqualTo(original.data());
    }

    @Test
    void toBuilderChangesDoNotAffectOriginal() {
        EventEnvelope original = full();

        EventEnvelope changed = original.toBuilder().subject("other").extension("tenant", "globex").build();

        assertThat(changed).isNotEqualTo(original);
        assertThat(original.subject()).contains("o-42");
        assertThat(original.extension("tenant")).contains("acme");
    }

    @Test
    void equalityDiffersOnData() {
        EventEnvelope a = valid().id("x").data(new byte[] {1}).build();
        EventEnvelope b = valid().id("x").data(new byte[] {2}).build();

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void equalityComparesTimeAsInstant() {
        OffsetDateTime utc = OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC);
        EventEnvelope a = valid().id("x").time(utc).build();
        EventEnvelope b = valid().id("x").time(utc.withOffsetSameInstant(ZoneOffset.ofHours(2))).build();

        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }

    @Test
    void toStringDoesNotContainPayload() {
        String secretPayload = "card=4111111111111111";
        EventEnvelope envelope = valid().id("evt-9").data(secretPayload).build();

        String text = envelope.toString();

        assertThat(text).doesNotContain(secretPayload).doesNotContain("4111111111111111");
        assertThat(text).contains("evt-9").contains("com.shop.order.placed")
                .contains(secretPayload.length() + " bytes");
    }

    @Test
    void dataStringSetsTextContentTypeAndUtf8Bytes() {
        EventEnvelope envelope = valid().data("héllo").build();

        assertThat(envelope.dataContentType()).contains("text/plain; charset=utf-8");
        assertThat(envelope.data()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(envelope.dataAsString()).isEqualTo("héllo");
    }

    @Test
    void dataStringKeepsAnExplicitContentType() {
        EventEnvelope envelope = valid().dataContentType("application/json").data("{}").build();

        assertThat(envelope.dataContentType()).contains("application/json");
    }

    @Test
    void nullDataStringLeavesContentTypeUnsetAndDataEmpty() {
        EventEnvelope envelope = valid().data((String) null).build();

        assertThat(envelope.dataContentType()).isEmpty();
        assertThat(envelope.data()).isEmpty();
    }

    @Test
    void emptyContentTypeMeansNone() {
        EventEnvelope envelope = valid().dataContentType("").build();

        assertThat(envelope.dataContentType()).isEmpty();
    }
}
