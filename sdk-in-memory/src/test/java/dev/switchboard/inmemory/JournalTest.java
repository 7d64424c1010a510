package dev.switchboard.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ConfigurationException;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The broker's journal can be switched off or bounded, by API and by configuration; on by default. */
class JournalTest {
    @Test
    void aBrokerRecordsEveryEventByDefault() {
        InMemoryBroker broker = InMemoryBroker.create();
        try (Messaging messaging = broker.connect()) {
            publish(messaging, 3);
        }

        assertThat(broker.journal()).isEqualTo(Journal.all());
        assertThat(broker.published().count()).isEqualTo(3);
        assertThat(broker.properties()).containsEntry(InMemoryProvider.JOURNAL, "on");
    }

    @Test
    void withTheJournalOffEventsFlowAndReadingTheJournalFailsAtOnce() throws InterruptedException {
        InMemoryBroker broker = InMemoryBroker.create(Journal.off());
        CountDownLatch handled = new CountDownLatch(3);
        try (Messaging messaging = broker.connect()) {
            messaging.subscribe(Subscription.to("orders").group("billing").onEnvelope((e, ctx) -> handled.countDown()));
            publish(messaging, 3);

            assertThat(handled.await(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(broker.properties()).containsEntry(InMemoryProvider.JOURNAL, "off");
        assertThatThrownBy(() -> broker.published().count())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("journal is off");
        assertThatThrownBy(() -> broker.consumed().inGroup("billing").within(Duration.ofMinutes(1)).awaitCount(1))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBoundedJournalKeepsTheNewestEventsAndSaysWhyOlderOnesAreMissing() {
        InMemoryBroker broker = InMemoryBroker.create(Journal.last(2));
        try (Messaging messaging = broker.connect()) {
            publish(messaging, 3);
        }

        assertThat(broker.published().envelopes()).extracting(EventEnvelope::id).containsExactly("e-1", "e-2");
        assertThatThrownBy(() -> broker.published().within(Duration.ofMillis(50)).awaitEnvelope(e -> e.id().equals("e-0")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 older ones forgotten: the journal keeps the last 2");
    }

    @Test
    void theConfigurationKeyChoosesTheJournalOfTheBrokerItCreates() {
        String name = "journal-" + UUID.randomUUID();
        try (Messaging messaging = Messaging.fromConfig(Map.of("switchboard.broker", "in-memory",
                InMemoryProvider.INSTANCE, name, InMemoryProvider.JOURNAL, "100"))) {
            publish(messaging, 1);
        }

        InMemoryBroker broker = InMemoryBroker.named(name);
        assertThat(broker.journal()).isEqualTo(Journal.last(100));
        assertThat(broker.published().count()).isEqualTo(1);
    }

    @Test
    void aConnectionCannotChangeTheJournalOfAnExistingBroker() {
        InMemoryBroker broker = InMemoryBroker.create();

        assertThatThrownBy(() -> broker.connect(Map.of(InMemoryProvider.JOURNAL, "off")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("exists with journal on, not off");
        assertThatThrownBy(() -> InMemoryBroker.named(broker.name(), Journal.off()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(InMemoryBroker.named(broker.name(), Journal.all())).isSameAs(broker);
    }

    @Test
    void journalValuesParseAndPrintAsTheKeyTakesThem() {
        assertThat(Journal.parse("on")).isEqualTo(Journal.all());
        assertThat(Journal.parse(" OFF ")).isEqualTo(Journal.off());
        assertThat(Journal.parse("500")).isEqualTo(Journal.last(500)).hasToString("500");
        assertThat(Journal.all()).hasToString("on");
        assertThat(Journal.off()).hasToString("off");
        assertThatThrownBy(() -> Journal.parse("0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected on, off or a positive number");
        assertThatThrownBy(() -> Journal.parse("all")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void publish(Messaging messaging, int count) {
        for (int i = 0; i < count; i++) {
            messaging.publisher().publishAndWait("orders", EventEnvelope.builder().id("e-" + i).type("test.order").build());
        }
    }
}
