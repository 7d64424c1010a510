package dev.switchboard.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderBytesTest {
    private final HeaderBytes bytes = new HeaderBytes();

    @Test
    void aRepeatingHeaderWithTheSameValueSharesItsBytes() {
        byte[] first = bytes.of("ce_type", "com.shop.order.placed");
        byte[] second = bytes.of("ce_type", new String("com.shop.order.placed"));

        assertThat(first).isEqualTo("com.shop.order.placed".getBytes(StandardCharsets.UTF_8));
        assertThat(second).isSameAs(first);
    }

    @Test
    void aRepeatingHeaderWithAnotherValueIsEncodedAgain() {
        bytes.of("ce_source", "/orders");

        assertThat(bytes.of("ce_source", "/grüße")).isEqualTo("/grüße".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes.of("content-type", "application/json")).isEqualTo("application/json".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void otherHeadersAreEncodedEveryTime() {
        byte[] first = bytes.of("ce_id", "evt-1");
        byte[] second = bytes.of("ce_id", "evt-1");

        assertThat(second).isEqualTo(first).isNotSameAs(first);
    }
}
