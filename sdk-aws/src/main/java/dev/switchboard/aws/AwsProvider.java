package dev.switchboard.aws;

import dev.switchboard.aws.internal.AwsDriver;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.BrokerProvider;
import dev.switchboard.spi.ConfigKey;
import dev.switchboard.spi.DriverContext;
import java.util.List;

/**
 * The {@code sns-sqs} provider: SNS topics for publishing and SQS queues for consuming (AWS SDK for Java v2).
 *
 * <p>Mapping: topic = SNS topic; group = an SQS queue named from topic and group, subscribed to the topic with
 * raw message delivery; envelope = message attributes within SNS/SQS's budget of 10, the rest packed in one
 * JSON attribute; dead letters go to a queue named from {@code <topic>.<group>.dlq}. See the README.
 *
 * @since 0.1
 */
public final class AwsProvider implements BrokerProvider {
    public static final String NAME = "sns-sqs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String configNamespace() {
        return "aws";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(
                ConfigKey.of(AwsOptions.REGION, "AWS region, such as eu-west-1; default AWS_REGION"),
                ConfigKey.of(AwsOptions.ENDPOINT, "endpoint override for SNS and SQS, such as http://127.0.0.1:4566"),
                ConfigKey.of(AwsOptions.ACCESS_KEY_ID, "static credentials; default the AWS default provider chain"),
                ConfigKey.secret(AwsOptions.SECRET_ACCESS_KEY, "static credentials' secret key"),
                ConfigKey.secret(AwsOptions.SESSION_TOKEN, "static credentials' session token"),
                ConfigKey.of(AwsOptions.NAME_PREFIX, "prefix of every topic and queue name; default none"),
                ConfigKey.of(AwsOptions.FIFO, "FIFO topics and queues: per-key order, deduplication by id; default false"),
                ConfigKey.of(AwsOptions.WAIT_TIME, "the longest long poll, at most 20s; default 20s"),
                ConfigKey.of(AwsOptions.VISIBILITY_TIMEOUT, "SQS visibility timeout, extended while a handler runs; default 30s"),
                ConfigKey.of(AwsOptions.RECEIVERS, "receives a subscription runs at once; default from the in-flight limit, up to 4"),
                ConfigKey.of(AwsOptions.MAX_RECEIVE_COUNT, "receives before SQS's own redrive to the dead-letter queue; default 100"));
    }

    @Override
    public BrokerDriver open(DriverContext context) {
        return new AwsDriver(AwsOptions.from(context.config()), context);
    }
}
