package dev.switchboard.aws.internal;

/**
 * The SNS and SQS names the driver gives Switchboard's topics and groups (no name prefix), for tests in other
 * packages that look at the emulator with the native clients.
 */
public final class AwsTestNames {
    private AwsTestNames() {
    }

    /** The SQS queue of {@code group} on {@code topic}. */
    public static String groupQueue(String topic, String group, boolean fifo) {
        return AwsNames.groupQueue("", topic, group, fifo);
    }

    /** The SNS topic of {@code topic}. */
    public static String topic(String topic, boolean fifo) {
        return AwsNames.topic("", topic, fifo);
    }
}
