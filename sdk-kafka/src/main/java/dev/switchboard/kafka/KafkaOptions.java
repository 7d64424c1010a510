package dev.switchboard.kafka;

import dev.switchboard.ConfigurationException;
import dev.switchboard.SwitchboardConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Kafka settings of a {@code switchboard.kafka.*} configuration, validated at startup.
 *
 * <p>Native client properties pass through: {@code switchboard.kafka.properties.*} to every client,
 * {@code .producer.*}, {@code .consumer.*} and {@code .admin.*} to one; {@code security.protocol},
 * {@code sasl.*} and {@code ssl.*} directly under {@code switchboard.kafka.} to every client. A pass-through
 * value always wins over Switchboard's defaults. {@link #toString()} redacts secrets.
 *
 * @param bootstrapServers {@code host:port[,host:port]}
 * @param clientId prefix of the clients' {@code client.id}
 * @param partitions partitions of the topics Switchboard creates
 * @param replicationFactor replication factor of created topics, or empty for the broker's default
 * @param common native properties for every client
 * @param producer native producer properties
 * @param consumer native consumer properties
 * @param admin native admin-client properties
 * @param timeInRecordTimestamp whether the event's time travels as the record timestamp instead of a
 *     {@code ce_time} header ({@link #EVENT_TIME})
 * @since 0.1
 */
public record KafkaOptions(String bootstrapServers, String clientId, int partitions, Optional<Short> replicationFactor,
                           Map<String, String> common, Map<String, String> producer, Map<String, String> consumer,
                           Map<String, String> admin, boolean timeInRecordTimestamp) {
    /** The namespace of every Kafka key. */
    public static final String PREFIX = "switchboard.kafka.";
    /** {@code host:port[,host:port…]}; default {@code localhost:9092}. */
    public static final String BOOTSTRAP_SERVERS = PREFIX + "bootstrap-servers";
    /** Prefix of every client's {@code client.id}; default the service name. */
    public static final String CLIENT_ID = PREFIX + "client-id";
    /** Partitions of the topics Switchboard creates; default 3. */
    public static final String PARTITIONS = PREFIX + "topic.partitions";
    /** Replication factor of the topics Switchboard creates; default the broker's. */
    public static final String REPLICATION_FACTOR = PREFIX + "topic.replication-factor";
    /** Native {@code security.protocol} of every client: PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL. */
    public static final String SECURITY_PROTOCOL = PREFIX + "security.protocol";
    /**
     * SASL user; with {@link #SASL_PASSWORD}, builds the JAAS config for {@code sasl.mechanism} SCRAM-SHA-256
     * (the default), SCRAM-SHA-512 or PLAIN, and makes {@code security.protocol} default to SASL_PLAINTEXT.
     */
    public static final String SASL_USERNAME = PREFIX + "sasl.username";
    /** SASL password, a secret; see {@link #SASL_USERNAME}. */
    public static final String SASL_PASSWORD = PREFIX + "sasl.password";
    /** Native {@code sasl.*} properties for every client, such as {@code switchboard.kafka.sasl.mechanism}. */
    public static final String SASL_PREFIX = PREFIX + "sasl.";
    /** Native {@code ssl.*} properties for every client, such as {@code switchboard.kafka.ssl.truststore.location}. */
    public static final String SSL_PREFIX = PREFIX + "ssl.";
    /** Native properties for every client: {@code switchboard.kafka.properties.metadata.max.age.ms}. */
    public static final String PROPERTIES_PREFIX = PREFIX + "properties.";
    /** Native producer properties, which win over Switchboard's defaults, such as {@code ….producer.linger.ms}. */
    public static final String PRODUCER_PREFIX = PREFIX + "producer.";
    /** Native consumer properties, which win over Switchboard's defaults, such as {@code ….consumer.fetch.min.bytes}. */
    public static final String CONSUMER_PREFIX = PREFIX + "consumer.";
    /** Native admin-client properties, which win over Switchboard's defaults. */
    public static final String ADMIN_PREFIX = PREFIX + "admin.";
    /**
     * Where the event's {@code time} travels: {@value #EVENT_TIME_HEADER} (default), a {@code ce_time} header as
     * the CloudEvents Kafka binding writes it; or {@value #EVENT_TIME_RECORD_TIMESTAMP}, the record's timestamp
     * (milliseconds), one header less per record — still a valid CloudEvent (time is optional), but CloudEvents
     * readers other than Switchboard see none, and sub-millisecond precision is lost. Set it alike on producers and
     * consumers: a consumer reads the record timestamp as the event's time only in that mode.
     *
     * @since 0.2
     */
    public static final String EVENT_TIME = PREFIX + "event-time";
    /** {@link #EVENT_TIME}: a {@code ce_time} header. */
    public static final String EVENT_TIME_HEADER = "header";
    /** {@link #EVENT_TIME}: the record timestamp. */
    public static final String EVENT_TIME_RECORD_TIMESTAMP = "record-timestamp";

    public KafkaOptions {
        common = Collections.unmodifiableMap(new TreeMap<>(common));
        producer = Collections.unmodifiableMap(new TreeMap<>(producer));
        consumer = Collections.unmodifiableMap(new TreeMap<>(consumer));
        admin = Collections.unmodifiableMap(new TreeMap<>(admin));
    }

    /**
     * Reads and validates the options.
     *
     * @throws ConfigurationException naming the key, for a malformed or contradictory value
     */
    public static KafkaOptions from(SwitchboardConfig config, String serviceName) {
        String bootstrap = config.string(BOOTSTRAP_SERVERS, "localhost:9092").trim();
        if (bootstrap.isEmpty() || !bootstrap.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
            throw new ConfigurationException(BOOTSTRAP_SERVERS, BOOTSTRAP_SERVERS
                    + " must be host:port[,host:port...], was \"" + SwitchboardConfig.maskUriPassword(bootstrap)
                    + "\"");
        }
        int partitions = config.integer(PARTITIONS, 3, 1);
        Optional<Short> replication = config.string(REPLICATION_FACTOR).map(raw -> {
            int value = config.integer(REPLICATION_FACTOR, 1, 1);
            if (value > Short.MAX_VALUE) {
                throw new ConfigurationException(REPLICATION_FACTOR, REPLICATION_FACTOR + " is too large: " + value);
            }
            return (short) value;
        });
        Map<String, String> common = new LinkedHashMap<>();
        config.asMap().forEach((key, value) -> {
            if (key.equals(SECURITY_PROTOCOL) || key.startsWith(SSL_PREFIX)
                    || (key.startsWith(SASL_PREFIX) && !key.equals(SASL_USERNAME) && !key.equals(SASL_PASSWORD))) {
                common.put(key.substring(PREFIX.length()), value);
            }
        });
        common.putAll(config.subtree(PROPERTIES_PREFIX));
        saslCredentials(config, common);
        return new KafkaOptions(bootstrap, config.string(CLIENT_ID, serviceName), partitions, replication, common,
                config.subtree(PRODUCER_PREFIX), config.subtree(CONSUMER_PREFIX), config.subtree(ADMIN_PREFIX),
                timeInRecordTimestamp(config));
    }

    private static boolean timeInRecordTimestamp(SwitchboardConfig config) {
        String value = config.string(EVENT_TIME, EVENT_TIME_HEADER).trim();
        return switch (value) {
            case EVENT_TIME_HEADER -> false;
            case EVENT_TIME_RECORD_TIMESTAMP -> true;
            default -> throw new ConfigurationException(EVENT_TIME, EVENT_TIME + " must be " + EVENT_TIME_HEADER
                    + " or " + EVENT_TIME_RECORD_TIMESTAMP + ", was \"" + value + "\"");
        };
    }

    /** {@code sasl.username}/{@code sasl.password}: a JAAS config for the SCRAM or PLAIN mechanism, built for the user. */
    private static void saslCredentials(SwitchboardConfig config, Map<String, String> common) {
        Optional<String> username = config.string(SASL_USERNAME);
        Optional<String> password = config.string(SASL_PASSWORD);
        if (username.isEmpty() && password.isEmpty()) {
            return;
        }
        if (username.isEmpty() || password.isEmpty()) {
            String missing = username.isEmpty() ? SASL_USERNAME : SASL_PASSWORD;
            throw new ConfigurationException(missing, missing + " is required when "
                    + (username.isEmpty() ? SASL_PASSWORD : SASL_USERNAME) + " is set");
        }
        if (common.containsKey("sasl.jaas.config")) {
            throw new ConfigurationException(SASL_USERNAME, "set either " + SASL_PREFIX + "jaas.config or "
                    + SASL_USERNAME + "/" + SASL_PASSWORD + ", not both");
        }
        String mechanism = common.getOrDefault("sasl.mechanism", "SCRAM-SHA-256");
        String module = switch (mechanism) {
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
            case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
            default -> throw new ConfigurationException(SASL_USERNAME, SASL_USERNAME + " works with sasl.mechanism"
                    + " PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, was " + mechanism + "; set " + SASL_PREFIX + "jaas.config instead");
        };
        common.put("sasl.mechanism", mechanism);
        common.put("sasl.jaas.config", module + " required username=\"" + escape(username.get())
                + "\" password=\"" + escape(password.get()) + "\";");
        common.putIfAbsent("security.protocol", "SASL_PLAINTEXT");
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaOptions{bootstrapServers=" + SwitchboardConfig.maskUriPassword(bootstrapServers) + ", clientId="
                + clientId + ", partitions=" + partitions + ", replicationFactor="
                + replicationFactor.map(String::valueOf).orElse("broker default")
                + ", common=" + SwitchboardConfig.redact(common) + ", producer=" + SwitchboardConfig.redact(producer)
                + ", consumer=" + SwitchboardConfig.redact(consumer) + ", admin=" + SwitchboardConfig.redact(admin)
                + ", eventTime=" + (timeInRecordTimestamp ? EVENT_TIME_RECORD_TIMESTAMP : EVENT_TIME_HEADER) + "}";
    }
}
