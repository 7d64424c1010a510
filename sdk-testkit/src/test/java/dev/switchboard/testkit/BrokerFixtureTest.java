package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.switchboard.testkit.BrokerFixture.Broker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;

class BrokerFixtureTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(Broker.SNS_SQS.systemProperty());
    }

    @Test
    void aConfiguredEndpointIsUsedAsGiven() {
        System.setProperty(Broker.SNS_SQS.systemProperty(), " http://127.0.0.1:4566 ");

        assertThat(BrokerFixture.endpoint(Broker.SNS_SQS)).isEqualTo("http://127.0.0.1:4566");
    }

    @Test
    void withoutEndpointOrDockerTheTestIsSkippedOrFailedSayingHowToProvideTheBroker() {
        assumeFalse(BrokerFixture.configured(Broker.SNS_SQS).isPresent(), "an SNS/SQS endpoint is configured here");
        assumeFalse(DockerClientFactory.instance().isDockerAvailable(), "Docker is available here: the fixture would start a container");

        Throwable outcome = catchThrowable(() -> BrokerFixture.endpoint(Broker.SNS_SQS));

        boolean required = Boolean.parseBoolean(System.getenv(BrokerFixture.REQUIRE_BROKERS));
        assertThat(outcome).isInstanceOf(required ? AssertionError.class : TestAbortedException.class)
                .hasMessageContaining("TEST_SNS_SQS_ENDPOINT")
                .hasMessageContaining("-Dtest.sns-sqs.endpoint");
    }
}
