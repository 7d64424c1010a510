package dev.switchboard.rabbitmq;

import dev.switchboard.ConfigurationException;
import dev.switchboard.SwitchboardConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The RabbitMQ settings of a {@code switchboard.rabbitmq.*} configuration, validated at startup.
 * {@link #toString()} never shows the password.
 *
 * @param addresses the brokers to connect and reconnect to, tried in this order: the one of {@code uri},
 *     {@code host} and {@code port}, or those {@code addresses} lists (never empty)
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
 * @param partitions how many queues a group's events are spread over by partition key (1 to
 *     {@value #MAX_PARTITIONS}): each queue has one active consumer, and the group's members share the queues
 * @since 0.1
 */
public record RabbitMqOptions(List<Address> addresses, String virtualHost, String username, String password, boolean tls,
                              Optional<String> trustStore, Optional<String> trustStorePassword, boolean verifyHostname,
                              String queueType, boolean singleActiveConsumer, int partitions) {
    /** The namespace of every RabbitMQ key. */
    public static final String PREFIX = "switchboard.rabbitmq.";
    /**
     * {@code amqp://user:password@host:port/vhost} or {@code amqps://…}, the password part a secret; default
     * {@code amqp://guest:guest@localhost:5672/}. The separate keys win over its parts.
     */
    public static final String URI_KEY = PREFIX + "uri";
    /** Broker host; default {@code localhost}. One host: several go in {@link #ADDRESSES}. */
    public static final String HOST = PREFIX + "host";
    /** Broker port; default 5672, or 5671 with TLS. */
    public static final String PORT = PREFIX + "port";
    /**
     * Several brokers (the nodes of a cluster), {@code host[:port],host[:port],…}, an IPv6 host in brackets, the
     * port by default 5672, or 5671 with TLS: tried in this order to connect and on every automatic recovery,
     * instead of the one host of {@code uri}, {@code host} and {@code port}. Those may still be set for the
     * credentials and virtual host, but must then name one of these brokers.
     */
    public static final String ADDRESSES = PREFIX + "addresses";
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
    /** How many queues a group is partitioned into; default 1. @since 0.2 */
    public static final String PARTITIONS = PREFIX + "partitions";
    /** The most partitions a group takes: the buckets a publisher hashes partition keys into. */
    public static final int MAX_PARTITIONS = 64;

    /** An entry of {@link #ADDRESSES}: a host name, an IPv4 address or an IPv6 one in brackets; then the port. */
    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9A-Fa-f:.]+(?:%[\\w.-]+)?]|[\\w.-]+)(?::([\\w+-]*))?");
    /** The {@code host[:port]} of a URI, after any user info. */
    private static final Pattern URI_HOST = Pattern.compile("\\s*[A-Za-z][\\w+.-]*://(?:[^/?#]*@)?([^/?#]*)");

    public RabbitMqOptions {
        addresses = List.copyOf(addresses);
    }

    /**
     * Reads and validates the options: a {@code uri} first, then the separate keys, which win over it; then
     * {@code addresses}, which stands for the one broker they name.
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
            host = unbracket(uri.getHost());
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
        int defaultPort = tls ? 5671 : 5672;
        Address named = new Address(config.string(HOST, host), config.integer(PORT, port > 0 ? port : defaultPort, 1));
        if (named.host().contains(",")) {
            throw new ConfigurationException(HOST, HOST + " takes one host: list several brokers in " + ADDRESSES
                    + " (host[:port],host[:port],…), was \"" + named.host() + "\"");
        }
        List<Address> addresses = List.of(named);
        Optional<String> listed = config.string(ADDRESSES);
        if (listed.isPresent()) {
            addresses = addresses(listed.get(), defaultPort);
            boolean someNamed = uriText.isPresent() || config.string(HOST).isPresent() || config.string(PORT).isPresent();
            if (someNamed && addresses.stream().noneMatch(a -> a.host().equalsIgnoreCase(named.host()) && a.port() == named.port())) {
                throw new ConfigurationException(ADDRESSES, ADDRESSES + " must list " + named + ", the broker that "
                        + URI_KEY + ", " + HOST + " or " + PORT + " name (with " + ADDRESSES + " they give the credentials"
                        + " and virtual host, and must name one of its brokers), was \"" + listed.get() + "\"");
            }
        }
        String queueType = config.string(QUEUE_TYPE, "quorum").toLowerCase(Locale.ROOT);
        if (!queueType.equals("quorum") && !queueType.equals("classic")) {
            throw new ConfigurationException(QUEUE_TYPE, QUEUE_TYPE + " must be quorum or classic, was \"" + queueType + "\"");
        }
        return new RabbitMqOptions(addresses, config.string(VIRTUAL_HOST, vhost),
                config.string(USERNAME, user), config.string(PASSWORD, password), tls,
                config.string(TRUST_STORE), config.string(TRUST_STORE_PASSWORD), config.bool(VERIFY_HOSTNAME, true),
                queueType, config.bool(SINGLE_ACTIVE_CONSUMER, true), partitions(config));
    }

    private static int partitions(SwitchboardConfig config) {
        int partitions = config.integer(PARTITIONS, 1, 1);
        if (partitions > MAX_PARTITIONS) {
            throw new ConfigurationException(PARTITIONS, PARTITIONS + " must be between 1 and " + MAX_PARTITIONS + ", was "
                    + partitions);
        }
        if (partitions > 1 && !config.bool(SINGLE_ACTIVE_CONSUMER, true)) {
            throw new ConfigurationException(PARTITIONS, PARTITIONS + " keeps per-key order with one active consumer per"
                    + " partition; it needs " + SINGLE_ACTIVE_CONSUMER + "=true");
        }
        return partitions;
    }

    private static URI parse(String text) {
        Matcher authority = URI_HOST.matcher(text);
        if (authority.lookingAt() && authority.group(1).contains(",")) {
            throw new ConfigurationException(URI_KEY, URI_KEY + " names one broker: list several in " + ADDRESSES
                    + " (host[:port],host[:port],…) and keep one of them in the URI, was \""
                    + SwitchboardConfig.maskUriPassword(text) + "\"");
        }
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

    /** The entries of {@link #ADDRESSES}, in order; a value with user info is refused without being shown. */
    private static List<Address> addresses(String text, int defaultPort) {
        if (text.contains("@")) {
            throw new ConfigurationException(ADDRESSES, ADDRESSES + " must be host[:port],host[:port],… without"
                    + " credentials: give them in " + URI_KEY + " or " + USERNAME + " and " + PASSWORD);
        }
        String[] entries = text.split(",", -1);
        List<Address> addresses = new ArrayList<>(entries.length);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            Matcher m = ADDRESS.matcher(entry);
            String problem = entry.isEmpty() ? "entry " + (i + 1) + " is empty" : problem(entry, m);
            if (problem != null) {
                throw new ConfigurationException(ADDRESSES, ADDRESSES + " must be host[:port],host[:port],…, but "
                        + problem + ", was \"" + text + "\"");
            }
            addresses.add(new Address(unbracket(m.group(1)), m.group(2) == null ? defaultPort : Integer.parseInt(m.group(2))));
        }
        return addresses;
    }

    /** What is wrong with a non-empty entry of {@link #ADDRESSES}, or null once {@code m} has matched it. */
    private static String problem(String entry, Matcher m) {
        if (entry.contains("://")) {
            return "\"" + entry + "\" has a scheme, which comes from " + URI_KEY + " and " + TLS;
        }
        if (!m.matches()) {
            return "\"" + entry + "\" is not host[:port] (an IPv6 host goes in brackets: [::1]:5672)";
        }
        String port = m.group(2);
        if (port != null && (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            return "the port of \"" + entry + "\" is not a number from 1 to 65535";
        }
        return null;
    }

    /** An IPv6 host without its URI brackets. */
    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Percent-decoding of a URI part; unlike form decoding, {@code +} stays a plus sign (as in amqp-client). */
    private static String decode(String value) {
        return java.net.URLDecoder.decode(value.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Where it connects, for logs and errors: {@code amqps://user@host:port (virtual host /)}, the addresses
     * separated by commas, never the password.
     */
    public String describe() {
        return (tls ? "amqps" : "amqp") + "://" + username + "@"
                + addresses.stream().map(Address::toString).collect(Collectors.joining(","))
                + " (virtual host " + virtualHost + ")";
    }

    @Override
    public String toString() {
        return "RabbitMqOptions{" + describe() + ", password=" + SwitchboardConfig.REDACTED + ", trustStore="
                + trustStore.orElse("JVM default") + ", verifyHostname=" + verifyHostname + ", queueType=" + queueType + ", singleActiveConsumer="
                + singleActiveConsumer + ", partitions=" + partitions + "}";
    }

    /**
     * A broker to connect to. Immutable.
     *
     * @param host its name or IP address (an IPv6 address without brackets)
     * @param port its AMQP port
     * @since 0.2
     */
    public record Address(String host, int port) {
        /** {@code host:port}, an IPv6 host in brackets. */
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
