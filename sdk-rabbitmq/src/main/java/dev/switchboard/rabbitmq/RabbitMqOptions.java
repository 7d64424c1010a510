package dev.switchboard.rabbitmq;

import dev.switchboard.ConfigurationException;
import dev.switchboard.SwitchboardConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The RabbitMQ settings of a {@code switchboard.rabbitmq.*} configuration, validated at startup.
 * {@link #toString()} never shows the password.
 *
 * @param host broker host
 * @param port broker port
 * @param virtualHost virtual host
 * @param username user
 * @param password password (secret)
 * @param tls whether to connect over TLS ({@code amqps})
 * @param trustStore path of a PKCS12 or JKS truststore with the CA that signed the broker's certificate, or
 *     empty for the JVM's default trust
 * @param trustStorePassword its password (secret), or empty
 * @param verifyHostname whether the broker certificate must name the host
 * @param queueType {@code quorum} (default) or {@code classic}, for the group queues
 * @param singleActiveConsumer whether a group queue lets one member consume at a time, which keeps per-key
 *     order across members; off means members compete freely and per-key order is not offered
 * @since 0.1
 */
public record RabbitMqOptions(String host, int port, String virtualHost, String username, String password, boolean tls,
                              Optional<String> trustStore, Optional<String> trustStorePassword, boolean verifyHostname,
                              String queueType, boolean singleActiveConsumer) {
    /** The namespace of every RabbitMQ key. */
    public static final String PREFIX = "switchboard.rabbitmq.";
    /**
     * {@code amqp://user:password@host:port/vhost} or {@code amqps://…}, the password part a secret; default
     * {@code amqp://guest:guest@localhost:5672/}. The separate keys win over its parts.
     */
    public static final String URI_KEY = PREFIX + "uri";
    /** Broker host; default {@code localhost}. */
    public static final String HOST = PREFIX + "host";
    /** Broker port; default 5672, or 5671 with TLS. */
    public static final String PORT = PREFIX + "port";
    /** Virtual host; default {@code /}. */
    public static final String VIRTUAL_HOST = PREFIX + "virtual-host";
    /** User; default {@code guest}. */
    public static final String USERNAME = PREFIX + "username";
    /** Password, a secret; default {@code guest}. */
    public static final String PASSWORD = PREFIX + "password";
    /** Whether to connect over TLS ({@code amqps}); default true for an {@code amqps} URI, else false. */
    public static final String TLS = PREFIX + "tls.enabled";
    /** PKCS12 or JKS truststore with the broker's CA; default the JVM's trust. */
    public static final String TRUST_STORE = PREFIX + "tls.trust-store";
    /** The truststore's password, a secret. */
    public static final String TRUST_STORE_PASSWORD = PREFIX + "tls.trust-store-password";
    /** Whether the broker certificate must name the host; default true. */
    public static final String VERIFY_HOSTNAME = PREFIX + "tls.verify-hostname";
    /** {@code quorum} (the default) or {@code classic} group queues. */
    public static final String QUEUE_TYPE = PREFIX + "queue-type";
    /** One consuming member per group at a time, which keeps per-key order across members; default true. */
    public static final String SINGLE_ACTIVE_CONSUMER = PREFIX + "single-active-consumer";

    /**
     * Reads and validates the options: a {@code uri} first, then the separate keys, which win over it.
     *
     * @throws ConfigurationException naming the key, for a malformed value
     */
    public static RabbitMqOptions from(SwitchboardConfig config) {
        String host = "localhost";
        int port = -1;
        String vhost = "/";
        String user = "guest";
        String password = "guest";
        boolean tls = false;
        Optional<String> uriText = config.string(URI_KEY);
        if (uriText.isPresent()) {
            URI uri = parse(uriText.get());
            tls = uri.getScheme().equals("amqps");
            host = uri.getHost();
            port = uri.getPort();
            if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
                vhost = decode(uri.getRawPath().substring(1));
            }
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                password = parts.length > 1 ? decode(parts[1]) : "";
            }
        }
        tls = config.bool(TLS, tls);
        port = config.integer(PORT, port > 0 ? port : (tls ? 5671 : 5672), 1);
        String queueType = config.string(QUEUE_TYPE, "quorum").toLowerCase(Locale.ROOT);
        if (!queueType.equals("quorum") && !queueType.equals("classic")) {
            throw new ConfigurationException(QUEUE_TYPE, QUEUE_TYPE + " must be quorum or classic, was \"" + queueType + "\"");
        }
        return new RabbitMqOptions(config.string(HOST, host), port, config.string(VIRTUAL_HOST, vhost),
                config.string(USERNAME, user), config.string(PASSWORD, password), tls,
                config.string(TRUST_STORE), config.string(TRUST_STORE_PASSWORD), config.bool(VERIFY_HOSTNAME, true),
                queueType, config.bool(SINGLE_ACTIVE_CONSUMER, true));
    }

    private static URI parse(String text) {
        try {
            URI uri = new URI(text.trim());
            if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(text, "expected amqp://[user:password@]host[:port][/virtual-host] or amqps://…");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(URI_KEY, URI_KEY + " must be amqp://[user:password@]host[:port][/vhost]"
                    + " or amqps://…, was \"" + SwitchboardConfig.maskUriPassword(text) + "\"");
        }
    }

    /** Percent-decoding of a URI part; unlike form decoding, {@code +} stays a plus sign (as in amqp-client). */
    private static String decode(String value) {
        return java.net.URLDecoder.decode(value.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Where it connects, for logs and errors: {@code amqps://user@host:port (virtual host /)}, never the password. */
    public String describe() {
        return (tls ? "amqps" : "amqp") + "://" + username + "@" + host + ":" + port + " (virtual host " + virtualHost + ")";
    }

    @Override
    public String toString() {
        return "RabbitMqOptions{" + describe() + ", password=" + SwitchboardConfig.REDACTED + ", trustStore="
                + trustStore.orElse("JVM default") + ", verifyHostname=" + verifyHostname + ", queueType=" + queueType + ", singleActiveConsumer="
                + singleActiveConsumer + "}";
    }
}
