package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.BrokerProvider;
import dev.switchboard.spi.ConfigKey;
import dev.switchboard.spi.DriverContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Messaging.Builder#provider}: explicit wiring. The core's tests have no provider on the classpath, so a
 * provider that gets opened here was not found by {@code ServiceLoader}.
 */
class ExplicitProviderTest {
    private static final String LABEL = "switchboard.recording.label";

    /** Thrown by the provider's {@code open}, with what it was given, so that no driver is needed. */
    private static final class Opened extends RuntimeException {
        private final transient DriverContext context;

        Opened(DriverContext context) {
            super("opened", null, false, false);
            this.context = context;
        }
    }

    private static final class RecordingProvider implements BrokerProvider {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public List<ConfigKey> configKeys() {
            return List.of(ConfigKey.of(LABEL, "a label"));
        }

        @Override
        public BrokerDriver open(DriverContext context) {
            throw new Opened(context);
        }
    }

    private static Messaging.Builder builder() {
        return Messaging.builder().provider(new RecordingProvider());
    }

    @Test
    void theGivenProviderIsOpenedWithTheResolvedConfiguration() {
        Messaging.Builder builder = builder().property(LABEL, "blue")
                .property(SwitchboardProperties.SERVICE_NAME, "billing");

        Opened opened = catchThrowableOfType(builder::build, Opened.class);

        assertThat(opened).isNotNull();
        assertThat(opened.context.config().string(LABEL)).contains("blue");
        assertThat(opened.context.serviceName()).isEqualTo("billing");
    }

    @Test
    void itsKeysAreValidatedAsIfItWereFoundOnTheClasspath() {
        Messaging.Builder builder = builder().property("switchboard.recording.labl", "blue");

        assertThatThrownBy(builder::build)
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("switchboard.recording.labl"))
                .hasMessageEndingWith("did you mean '" + LABEL + "'?");
    }

    @Test
    void keysOfBrokersNotWiredAreIgnored() {
        Messaging.Builder builder = builder().property("switchboard.rabbitmq.uri", "amqp://localhost");

        Opened opened = catchThrowableOfType(builder::build, Opened.class);

        assertThat(opened).isNotNull();
        assertThat(opened.context.config().asMap()).doesNotContainKey("switchboard.rabbitmq.uri");
    }

    @Test
    void switchboardBrokerMayNameIt() {
        Messaging.Builder builder = builder().property(SwitchboardProperties.BROKER, "recording");

        assertThatThrownBy(builder::build).isInstanceOf(Opened.class);
    }

    @Test
    void switchboardBrokerNamingAnotherProviderFailsNamingTheKey() {
        Messaging.Builder builder = builder().property(SwitchboardProperties.BROKER, "kafka");

        assertThatThrownBy(builder::build)
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo(SwitchboardProperties.BROKER))
                .hasMessage("switchboard.broker=kafka (from explicit properties) names no provider given to"
                        + " Messaging.Builder.provider; expected one of [recording]");
    }

    @Test
    void withoutAProviderTheCoreAloneFindsNone() {
        assertThatThrownBy(() -> Messaging.builder().build())
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo(SwitchboardProperties.BROKER))
                .hasMessageContaining("no broker provider on the classpath");
    }

    @Test
    void aNullProviderIsRejected() {
        assertThatThrownBy(() -> Messaging.builder().provider(null)).isInstanceOf(NullPointerException.class);
    }
}
