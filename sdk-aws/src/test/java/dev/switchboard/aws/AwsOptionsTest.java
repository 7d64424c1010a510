package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.ConfigurationException;
import dev.switchboard.ErrorCode;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscription;
import dev.switchboard.SwitchboardConfig;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsOptionsTest {
    private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
    private static final String SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token-value";

    @Test
    void theRegionIsRequiredWhenAwsRegionIsNotSet() {
        Assumptions.assumeTrue(System.getenv("AWS_REGION") == null,
                "AWS_REGION is set in this environment, and AwsOptions falls back to it");
        SwitchboardConfig config = SwitchboardConfig.of(Map.of());

        ConfigurationException error = catchThrowableOfType(() -> AwsOptions.from(config), ConfigurationException.class);

        assertThat(error).isNotNull();
        assertThat(error.key()).isEqualTo("switchboard.aws.region");
        assertThat(error.getMessage()).contains("switchboard.aws.region").contains("AWS_REGION");
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void theRegionFallsBackToAwsRegion() {
        String environment = System.getenv("AWS_REGION");
        Assumptions.assumeTrue(environment != null && !environment.isBlank(), "AWS_REGION is not set");
        SwitchboardConfig config = SwitchboardConfig.of(Map.of());

        AwsOptions options = AwsOptions.from(config);

        assertThat(options.region()).isEqualTo(environment);
    }

    @Test
    void defaultsAreSqsFriendly() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of("switchboard.aws.region", "eu-west-1"));

        AwsOptions options = AwsOptions.from(config);

        assertThat(options.region()).isEqualTo("eu-west-1");
        assertThat(options.endpoint()).isEmpty();
        assertThat(options.accessKeyId()).isEmpty();
        assertThat(options.namePrefix()).isEmpty();
        assertThat(options.fifo()).isFalse();
        assertThat(options.waitTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.receivers()).isZero();
        assertThat(options.maxReceiveCount()).isEqualTo(100);
    }

    @Test
    void anEndpointIsParsedAsAUrl() {
        SwitchboardConfig config = config(Map.of("switchboard.aws.endpoint", " http://127.0.0.1:4566 "));

        AwsOptions options = AwsOptions.from(config);

        assertThat(options.endpoint()).contains(URI.create("http://127.0.0.1:4566"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:4566", "localhost:4566", "not a url", "http://", "/just/a/path"})
    void anEndpointThatIsNotAUrlFailsNamingTheKey(String endpoint) {
        SwitchboardConfig config = config(Map.of("switchboard.aws.endpoint", endpoint));

        ConfigurationException error = catchThrowableOfType(() -> AwsOptions.from(config), ConfigurationException.class);

        assertThat(error).isNotNull();
        assertThat(error.key()).isEqualTo("switchboard.aws.endpoint");
        assertThat(error.getMessage()).contains("switchboard.aws.endpoint").contains(endpoint);
    }

    @Test
    void anEndpointPasswordIsMaskedInToStringAndErrors() {
        AwsOptions options = AwsOptions.from(
                config(Map.of("switchboard.aws.endpoint", "http://u:pw-secret@127.0.0.1:4566")));
        SwitchboardConfig malformed = config(Map.of("switchboard.aws.endpoint", "http://u:pw-secret@"));

        ConfigurationException error = catchThrowableOfType(() -> AwsOptions.from(malformed), ConfigurationException.class);

        assertThat(options.toString()).doesNotContain("pw-secret").contains("http://u:******@127.0.0.1:4566");
        assertThat(error).isNotNull();
        assertThat(error.getMessage()).contains("switchboard.aws.endpoint").doesNotContain("pw-secret");
    }

    @Test
    void anAccessKeyIdWithoutSecretFailsNamingTheSecretKey() {
        SwitchboardConfig config = config(Map.of("switchboard.aws.access-key-id", "AKIAEXAMPLE"));

        ConfigurationException error = catchThrowableOfType(() -> AwsOptions.from(config), ConfigurationException.class);

        assertThat(error).isNotNull();
        assertThat(error.key()).isEqualTo("switchboard.aws.secret-access-key");
        assertThat(error.getMessage()).contains("switchboard.aws.secret-access-key is required")
                .contains("switchboard.aws.access-key-id");
    }

    @Test
    void aSecretWithoutAccessKeyIdFailsNamingTheAccessKeyIdAndNotTheSecret() {
        SwitchboardConfig config = config(Map.of("switchboard.aws.secret-access-key", SECRET));

        ConfigurationException error = catchThrowableOfType(() -> AwsOptions.from(config), ConfigurationException.class);

        assertThat(error).isNotNull();
        assertThat(error.key()).isEqualTo("switchboard.aws.access-key-id");
        assertThat(error.getMessage()).doesNotContain(SECRET);
    }

    @Test
    void aNamePrefixOfLettersDigitsUnderscoresAndDashesIsAccepted() {
        SwitchboardConfig config = config(Map.of("switchboard.aws.name-prefix", "team-a_2-"));

        AwsOptions options = AwsOptions.from(config);

        assertThat(options.namePrefix()).isEqualTo("team-a_2-");
    }

    @ParameterizedTest
    @ValueSource(strings = {"team.a", "team a", "team/a", "tëam"})
    void aNamePrefixWithOtherCharactersFails(String prefix) {
        SwitchboardConfig config = config(Map.of("switchboard.aws.name-prefix", prefix));

        ConfigurationException error = catchThrowableOfType(() -> AwsOptions.from(config), ConfigurationException.class);

        assertThat(error).isNotNull();
        assertThat(error.key()).isEqualTo("switchboard.aws.name-prefix");
        assertThat(error.getMessage()).contains(prefix);
    }

    @Test
    void aWaitTimeOfTwentySecondsIsAccepted() {
        SwitchboardConfig config = config(Map.of("switchboard.aws.sqs.wait-time", "20s"));

        AwsOptions options = AwsOptions.from(config);

        assertThat(options.waitTime()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aWaitTimeOverTwentySecondsFails() {
        SwitchboardConfig config = config(Map.of("switchboard.aws.sqs.wait-time", "21s"));

        ConfigurationException error = catchThrowableOfType(() -> AwsOptions.from(config), ConfigurationException.class);

        assertThat(error).isNotNull();
        assertThat(error.key()).isEqualTo("switchboard.aws.sqs.wait-time");
        assertThat(error.getMessage()).contains("20s").contains("PT21S");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5s", "30s", "12h"})
    void aVisibilityTimeoutBetweenFiveSecondsAndTwelveHoursIsAccepted(String timeout) {
        SwitchboardConfig config = config(Map.of("switchboard.aws.sqs.visibility-timeout", timeout));

        AwsOptions options = AwsOptions.from(config);

        assertThat(options.visibilityTimeout()).isBetween(Duration.ofSeconds(5), Duration.ofHours(12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "4999ms", "4s", "43201s", "13h"})
    void aVisibilityTimeoutOutsideFiveSecondsToTwelveHoursFails(String timeout) {
        SwitchboardConfig config = config(Map.of("switchboard.aws.sqs.visibility-timeout", timeout));

        ConfigurationException error = catchThrowableOfType(() -> AwsOptions.from(config), ConfigurationException.class);

        assertThat(error).isNotNull();
        assertThat(error.key()).isEqualTo("switchboard.aws.sqs.visibility-timeout");
        assertThat(error.getMessage()).contains("between 5s and 12h");
    }

    @Test
    void toStringNeverShowsTheCredentials() {
        SwitchboardConfig config = config(Map.of("switchboard.aws.access-key-id", "AKIAEXAMPLE",
                "switchboard.aws.secret-access-key", SECRET, "switchboard.aws.session-token", SESSION_TOKEN));

        AwsOptions options = AwsOptions.from(config);

        assertThat(options.secretAccessKey()).contains(SECRET);
        assertThat(options.sessionToken()).contains(SESSION_TOKEN);
        assertThat(options.toString()).doesNotContain(SECRET, SESSION_TOKEN, "AKIAEXAMPLE")
                .contains("credentials=static ******/******").contains("region=us-east-1");
    }

    @Test
    void theResolvedConfigurationNeverShowsTheSecretKeyOrSessionToken() {
        Map<String, String> properties = new HashMap<>(Map.of("switchboard.broker", "sns-sqs",
                "switchboard.aws.region", "us-east-1", "switchboard.aws.endpoint", "http://127.0.0.1:1",
                "switchboard.aws.access-key-id", "AKIAEXAMPLE", "switchboard.aws.secret-access-key", SECRET,
                "switchboard.aws.session-token", SESSION_TOKEN));

        try (Messaging messaging = Messaging.fromConfig(properties)) {

            String shown = messaging.toString() + messaging.unwrap(AwsOptions.class).orElseThrow();

            assertThat(shown).doesNotContain(SECRET).doesNotContain(SESSION_TOKEN);
        }
    }

    @Test
    void aRetryPolicyWaitingLongerThanTwelveHoursIsRejectedAtSubscribe() {
        try (Messaging messaging = Messaging.fromConfig(AwsTestBroker.properties(Map.of()))) {
            String topic = "options-backoff-" + UUID.randomUUID();
            Subscription tooLong = Subscription.to(topic).group("g").onEnvelope((e, ctx) -> { })
                    .retry(RetryPolicy.exponential(3, Duration.ofSeconds(1)).withMaxBackoff(Duration.ofHours(13)))
                    .build();
            Subscription twelveHours = Subscription.to(topic).group("g-12h").onEnvelope((e, ctx) -> { })
                    .retry(RetryPolicy.exponential(3, Duration.ofSeconds(1)).withMaxBackoff(Duration.ofHours(12)))
                    .build();

            MessagingException error = catchThrowableOfType(() -> messaging.subscribe(tooLong), MessagingException.class);

            assertThat(error).isNotNull();
            assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(error.getMessage()).contains("PT13H").contains("PT12H").contains("withMaxBackoff");
            assertThat(messaging.subscribe(twelveHours).isRunning()).isTrue();
        }
    }

    @Test
    void aConfigurationErrorSurfacesFromMessagingFromConfig() {
        Map<String, String> properties = Map.of("switchboard.broker", "sns-sqs", "switchboard.aws.region", "us-east-1",
                "switchboard.aws.sqs.wait-time", "30s");

        assertThatThrownBy(() -> Messaging.fromConfig(properties))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.aws.sqs.wait-time");
    }

    private static SwitchboardConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.putIfAbsent("switchboard.aws.region", "us-east-1");
        return SwitchboardConfig.of(all);
    }
}
