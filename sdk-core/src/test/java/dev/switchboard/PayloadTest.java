package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void copyOfIsNotChangedByItsSource() {
        byte[] source = {1, 2, 3};

        Payload payload = Payload.copyOf(source);
        source[0] = 9;

        assertThat(payload.toByteArray()).containsExactly(1, 2, 3);
    }

    @Test
    void toByteArrayHandsOutACopy() {
        Payload payload = Payload.of("abc");

        payload.toByteArray()[0] = 'z';

        assertThat(payload.asString()).isEqualTo("abc");
    }

    @Test
    void wrapSharesTheArrayAndSharedArrayGivesItBack() {
        byte[] fresh = "data".getBytes(StandardCharsets.UTF_8);

        Payload payload = Payload.wrap(fresh);

        assertThat(payload.sharedArray()).isSameAs(fresh);
        assertThat(payload.size()).isEqualTo(4);
    }

    @Test
    void nullAndEmptyAreTheEmptyPayload() {
        assertThat(Payload.wrap(null)).isSameAs(Payload.EMPTY);
        assertThat(Payload.copyOf(new byte[0])).isSameAs(Payload.EMPTY);
        assertThat(Payload.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void theReadOnlyBufferCannotWriteThrough() {
        Payload payload = Payload.of("xy");

        assertThatThrownBy(() -> payload.asReadOnlyBuffer().put((byte) 1))
                .isInstanceOf(java.nio.ReadOnlyBufferException.class);
        assertThat(payload.asReadOnlyBuffer().remaining()).isEqualTo(2);
    }

    @Test
    void equalityIsByContentAndToStringShowsOnlyTheSize() {
        Payload a = Payload.of("secret order");

        assertThat(a).isEqualTo(Payload.copyOf("secret order".getBytes(StandardCharsets.UTF_8)))
                .hasSameHashCodeAs(Payload.of("secret order"));
        assertThat(a).isNotEqualTo(Payload.of("other"));
        assertThat(a.toString()).isEqualTo("Payload[12 bytes]").doesNotContain("secret");
    }
}
