package dev.switchboard.aws.internal;

import dev.switchboard.aws.AwsOptions;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SNS and SQS clients of a driver, sharing one HTTP connection pool. The socket timeout leaves room
 * for a full long poll.
 */
final class AwsClients implements AutoCloseable {
    private final SdkHttpClient http;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final Duration connectTimeout;

    AwsClients(AwsOptions options, Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        this.http = ApacheHttpClient.builder()
                .connectionTimeout(connectTimeout)
                .socketTimeout(options.waitTime().plusSeconds(10))
                .maxConnections(64)
                .build();
        AwsCredentialsProvider credentials = credentials(options);
        Region region = Region.of(options.region());
        var snsBuilder = SnsClient.builder().httpClient(http).region(region).credentialsProvider(credentials);
        var sqsBuilder = SqsClient.builder().httpClient(http).region(region).credentialsProvider(credentials);
        options.endpoint().ifPresent(endpoint -> {
            snsBuilder.endpointOverride(endpoint);
            sqsBuilder.endpointOverride(endpoint);
        });
        this.sns = snsBuilder.build();
        this.sqs = sqsBuilder.build();
    }

    SnsClient sns() {
        return sns;
    }

    SqsClient sqs() {
        return sqs;
    }

    /** How long an operation waits for an unreachable service. */
    Duration connectTimeout() {
        return connectTimeout;
    }

    private static AwsCredentialsProvider credentials(AwsOptions options) {
        if (options.accessKeyId().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        String key = options.accessKeyId().get();
        String secret = options.secretAccessKey().orElseThrow();
        return StaticCredentialsProvider.create(options.sessionToken()
                .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(token -> AwsSessionCredentials.create(key, secret, token))
                .orElseGet(() -> AwsBasicCredentials.create(key, secret)));
    }

    @Override
    public void close() {
        sns.close();
        sqs.close();
        http.close();
    }
}
