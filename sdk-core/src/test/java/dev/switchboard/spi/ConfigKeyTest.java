package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {

    @Test
    void aPlainKeyMatchesOnlyItself() {
        ConfigKey key = ConfigKey.of("switchboard.kafka.client-id", "client id");

        assertThat(key.matches("switchboard.kafka.client-id")).isTrue();
        assertThat(key.matches("switchboard.kafka.client-id.x")).isFalse();
        assertThat(key.nativeNames()).isEmpty();
    }

    @Test
    void aPrefixWithoutNativeNamesMatchesAnythingUnderIt() {
        ConfigKey key = ConfigKey.prefix("switchboard.kafka.producer.", "native producer properties");

        assertThat(key.matches("switchboard.kafka.producer.linger.msx")).isTrue();
        assertThat(key.matches("switchboard.kafka.producer.")).isFalse();
        assertThat(key.matches("switchboard.kafka.producerx")).isFalse();
    }

    @Test
    void aPrefixWithNativeNamesMatchesThoseAndWhatIsUnderAFamily() {
        ConfigKey key = ConfigKey.prefix("switchboard.kafka.producer.", "native producer properties",
                Set.of("linger.ms", "metrics.context."));

        assertThat(key.matches("switchboard.kafka.producer.linger.ms")).isTrue();
        assertThat(key.matches("switchboard.kafka.producer.metrics.context.team")).isTrue();
        assertThat(key.matches("switchboard.kafka.producer.linger.msx")).isFalse();
        assertThat(key.matches("switchboard.kafka.producer.linger")).isFalse();
        assertThat(key.matches("switchboard.kafka.producer.metrics.context.")).isFalse();
    }

    @Test
    void nativeNamesAreSortedAndUnmodifiable() {
        ConfigKey key = ConfigKey.prefix("switchboard.x.", "x", Set.of("b", "c", "a"));

        assertThat(key.nativeNames()).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> key.nativeNames().add("d")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void onlyAPrefixTakesNativeNames() {
        assertThatThrownBy(() -> new ConfigKey("switchboard.x", "x", false, false, Set.of("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("switchboard.x");
    }
}
