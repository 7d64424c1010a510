package dev.switchboard.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AwsNamesTest {

    @Test
    void charactersOutsideLettersDigitsUnderscoreAndDashBecomeDashes() {
        String raw = "orders.v1/eu west:ünïcode+*";

        String name = AwsNames.topic("", raw, false);

        assertThat(name).startsWith("orders-v1-eu-west--n-code---").matches("[A-Za-z0-9_-]+-[0-9a-f]{8}");
    }

    @Test
    void shortNamesKeepTheirLettersDigitsUnderscoresAndDashes() {
        String raw = "Orders_2024-eu";

        String topic = AwsNames.topic("", raw, false);
        String queue = AwsNames.groupQueue("", raw, "billing", false);

        assertThat(topic).isEqualTo("Orders_2024-eu");
        assertThat(queue).as("a dash in the topic makes the join ambiguous").matches("Orders_2024-eu-billing-[0-9a-f]{8}");
    }

    @Test
    void theNamePrefixComesFirst() {
        String prefix = "team-a_";

        String topic = AwsNames.topic(prefix, "orders", false);
        String queue = AwsNames.groupQueue(prefix, "orders", "billing", false);
        String deadLetters = AwsNames.queue(prefix, "orders.billing.dlq", false);

        assertThat(topic).isEqualTo("team-a_orders");
        assertThat(queue).isEqualTo("team-a_orders-billing");
        assertThat(deadLetters).matches("team-a_orders-billing-dlq-[0-9a-f]{8}");
    }

    @Test
    void namesThatSanitiseOrJoinAlikeStayApart() {
        assertThat(AwsNames.topic("", "orders.eu", false)).isNotEqualTo(AwsNames.topic("", "orders-eu", false));
        assertThat(AwsNames.groupQueue("", "a", "b-c", false)).isNotEqualTo(AwsNames.groupQueue("", "a-b", "c", false));
        assertThat(AwsNames.queue("", "a.b.dlq", false)).isNotEqualTo(AwsNames.queue("", "a-b-dlq", false));
    }

    @Test
    void aQueueNameAtTheLimitIsKeptWhole() {
        String topic = "t".repeat(AwsNames.MAX_QUEUE_NAME - "-g".length());

        String queue = AwsNames.groupQueue("", topic, "g", false);

        assertThat(queue).hasSize(AwsNames.MAX_QUEUE_NAME).isEqualTo(topic + "-g");
    }

    @Test
    void longQueueNamesAreCutTo80CharactersWithAHashThatKeepsThemApart() {
        String common = "very.long.topic.name.of.a.service.that.likes.namespaces.".repeat(2);
        String first = common + "first";
        String second = common + "second";

        String firstQueue = AwsNames.groupQueue("", first, "billing", false);
        String secondQueue = AwsNames.groupQueue("", second, "billing", false);

        assertThat(firstQueue).hasSize(AwsNames.MAX_QUEUE_NAME).matches("[A-Za-z0-9_-]+");
        assertThat(secondQueue).hasSize(AwsNames.MAX_QUEUE_NAME).matches("[A-Za-z0-9_-]+");
        assertThat(firstQueue).isNotEqualTo(secondQueue);
        assertThat(firstQueue).startsWith("very-long-topic-name-of-a-service");
        assertThat(firstQueue.substring(0, 71)).isEqualTo(secondQueue.substring(0, 71));
        assertThat(firstQueue).matches(".*-[0-9a-f]{8}");
    }

    @Test
    void theHashIsStableForTheSameName() {
        String topic = "x".repeat(200);

        String once = AwsNames.groupQueue("", topic, "g", false);
        String again = AwsNames.groupQueue("", topic, "g", false);

        assertThat(once).isEqualTo(again);
    }

    @Test
    void fifoNamesEndWithDotFifoWithinTheLimit() {
        String shortTopic = "orders";
        String longTopic = "orders-".repeat(30);

        String shortQueue = AwsNames.groupQueue("", shortTopic, "billing", true);
        String longQueue = AwsNames.groupQueue("", longTopic, "billing", true);
        String longFifoTopic = AwsNames.topic("", "t".repeat(300), true);

        assertThat(shortQueue).isEqualTo("orders-billing.fifo");
        assertThat(longQueue).endsWith(".fifo").hasSize(AwsNames.MAX_QUEUE_NAME);
        assertThat(longQueue.substring(0, longQueue.length() - ".fifo".length())).matches("[A-Za-z0-9_-]+-[0-9a-f]{8}");
        assertThat(longFifoTopic).endsWith(".fifo").hasSize(AwsNames.MAX_TOPIC_NAME);
    }

    @Test
    void aFifoNameAndAStandardNameOfTheSameTopicDiffer() {
        String topic = "orders";

        String fifo = AwsNames.topic("", topic, true);
        String standard = AwsNames.topic("", topic, false);

        assertThat(fifo).isNotEqualTo(standard);
    }

    @Test
    void longTopicNamesAreCutTo256Characters() {
        String first = "a".repeat(300) + "1";
        String second = "a".repeat(300) + "2";

        String firstTopic = AwsNames.topic("", first, false);
        String secondTopic = AwsNames.topic("", second, false);

        assertThat(firstTopic).hasSize(AwsNames.MAX_TOPIC_NAME);
        assertThat(secondTopic).hasSize(AwsNames.MAX_TOPIC_NAME);
        assertThat(firstTopic).isNotEqualTo(secondTopic);
    }
}
