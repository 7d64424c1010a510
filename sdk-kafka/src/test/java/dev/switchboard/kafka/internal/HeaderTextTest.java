package dev.switchboard.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HeaderTextTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRepeatingHeaderWithTheSameBytesGivesTheSameTextOnceDecoded() {
        HeaderText text = HeaderText.forThisThread();

        String first = text.of("ce_source", bytes("/orders"));
        String second = text.of("ce_source", bytes("/orders"));

        assertThat(first).isEqualTo("/orders");
        assertThat(second).isSameAs(first);
    }

    @Test
    void aRepeatingHeaderWithOtherBytesIsDecodedAgain() {
        HeaderText text = HeaderText.forThisThread();
        text.of("ce_type", bytes("com.shop.order.placed"));

        assertThat(text.of("ce_type", bytes("com.shop.order.paid"))).isEqualTo("com.shop.order.paid");
        assertThat(text.of("ce_type", bytes("grüße"))).isEqualTo("grüße");
    }

    @Test
    void theRecordsArrayIsNotKeptSoAChangeToItChangesNothing() {
        HeaderText text = HeaderText.forThisThread();
        byte[] value = bytes("1.0");
        String decoded = text.of("ce_specversion", value);
        value[0] = '2';

        assertThat(text.of("ce_specversion", bytes("1.0"))).isSameAs(decoded).isEqualTo("1.0");
        assertThat(text.of("ce_specversion", value)).isEqualTo("2.0");
    }

    @Test
    void otherHeadersAreDecodedEveryTimeAndNullIsEmpty() {
        HeaderText text = HeaderText.forThisThread();

        String first = text.of("ce_id", bytes("evt-1"));
        String second = text.of("ce_id", bytes("evt-1"));

        assertThat(second).isEqualTo(first).isNotSameAs(first);
        assertThat(text.of("ce_type", null)).isEmpty();
    }

    @Test
    void eachThreadHasItsOwn() throws Exception {
        HeaderText mine = HeaderText.forThisThread();

        HeaderText other = CompletableFuture.supplyAsync(HeaderText::forThisThread).get();

        assertThat(other).isNotSameAs(mine);
        assertThat(HeaderText.forThisThread()).isSameAs(mine);
    }
}
