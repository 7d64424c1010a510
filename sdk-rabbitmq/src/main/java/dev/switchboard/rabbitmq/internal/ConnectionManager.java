package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.AddressResolver;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.recovery.RecordedBinding;
import com.rabbitmq.client.impl.recovery.RecordedExchange;
import com.rabbitmq.client.impl.recovery.RecordedQueue;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;
import com.rabbitmq.client.DnsRecordIpAddressResolver;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import dev.switchboard.ConfigurationException;
import dev.switchboard.Connectivity;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.rabbitmq.RabbitMqOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection of a driver, opened on first use (so a broker that is down at startup does not stop
 * the service) and then kept alive by amqp-client's automatic connection recovery, which re-registers the
 * consumers. It does not re-declare exchanges, queues and bindings: they are durable, provisioned by the core, and
 * were declared on short-lived channels that no longer exist (recovering them would only log errors). Connecting and every recovery try the configured
 * addresses in their order, the first that accepts wins (one address: every IP its name resolves to, as
 * amqp-client does for one host). Its I/O threads come from the core's thread factory. Failures are
 * amqp-client's own, for the core to classify. Thread-safe.
 */
final class ConnectionManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionManager.class);
    private static final Duration RECOVERY_INTERVAL = Duration.ofSeconds(1);

    private final ConnectionFactory factory;
    private final AddressResolver addresses;
    private final String name;
    private final RabbitMqOptions options;
    private final Duration connectTimeout;
    private volatile Connection connection;
    private volatile boolean closed;
    /** Whether the last attempt to open the first connection failed (automatic recovery takes over after it). */
    private volatile boolean connectFailed;

    ConnectionManager(RabbitMqOptions options, String name, Duration connectTimeout, ThreadFactory threads) {
        this.options = options;
        this.name = name;
        this.connectTimeout = connectTimeout;
        this.addresses = resolver(options);
        this.factory = new ConnectionFactory();
        factory.setVirtualHost(options.virtualHost());
        factory.setUsername(options.username());
        factory.setPassword(options.password());
        int timeout = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        factory.setConnectionTimeout(timeout);
        // a channel RPC (open, declare, close) waits no longer than a connect would: amqp-client's default is 10 min
        factory.setChannelRpcTimeout(timeout);
        factory.setHandshakeTimeout(timeout);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setTopologyRecoveryFilter(new TopologyRecoveryFilter() {
            @Override
            public boolean filterExchange(RecordedExchange exchange) {
                return false;
            }

            @Override
            public boolean filterQueue(RecordedQueue queue) {
                return false;
            }

            @Override
            public boolean filterBinding(RecordedBinding binding) {
                return false;
            }
        });
        factory.setNetworkRecoveryInterval(RECOVERY_INTERVAL.toMillis());
        factory.setThreadFactory(threads);
        if (options.tls()) {
            SSLContext context = sslContext(options);
            if (options.verifyHostname()) {
                factory.useSslProtocol(context);
                factory.enableHostnameVerification();
            } else {
                // amqp-client 5.x's useSslProtocol(SSLContext) always turns hostname verification on, and so
                // does an SslContextFactory; a TLS socket factory alone trusts the CA without checking the name
                factory.setSocketFactory(context.getSocketFactory());
            }
        }
    }

    /** The open connection, connecting now if there is none yet; a failure is amqp-client's own. */
    Connection connection() throws IOException, TimeoutException {
        Connection current = connection;
        if (current != null && !closed) {
            return current;
        }
        synchronized (this) {
            if (closed) {
                throw new MessagingException(ErrorCode.CANCELLED, "the RabbitMQ driver is closed");
            }
            if (connection == null) {
                Connection fresh;
                try {
                    // a null executor is amqp-client's default consumer work pool, as newConnection(name) has it
                    fresh = factory.newConnection(null, addresses, name);
                } catch (IOException | TimeoutException | RuntimeException e) {
                    connectFailed = true;
                    throw e;
                }
                ((Recoverable) fresh).addRecoveryListener(new RecoveryListener() {
                    @Override
                    public void handleRecovery(Recoverable recovered) {
                        log.info("reconnected to RabbitMQ at {} through {}", options.describe(), where(fresh));
                    }

                    @Override
                    public void handleRecoveryStarted(Recoverable recovering) {
                        // the shutdown that starts it is logged by amqp-client
                    }
                });
                connection = fresh;
                log.info("connected to RabbitMQ at {} through {}", options.describe(), where(fresh));
            }
            return connection;
        }
    }

    /**
     * Whether the connection is open, as amqp-client knows it (false while automatic recovery reconnects);
     * disconnected also when the first connection could not be opened, unknown before the first attempt.
     */
    Connectivity connectivity() {
        Connection current = connection;
        if (current == null) {
            return connectFailed ? Connectivity.DISCONNECTED : Connectivity.UNKNOWN;
        }
        return current.isOpen() ? Connectivity.CONNECTED : Connectivity.DISCONNECTED;
    }

    /** How long an operation waits for an unreachable broker. */
    Duration connectTimeout() {
        return connectTimeout;
    }

    Channel openChannel() throws IOException, TimeoutException {
        return connection().createChannel();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (connection != null) {
            try {
                connection.close(5000);
            } catch (IOException | RuntimeException e) {
                log.debug("closing the RabbitMQ connection: {}", e.toString());
            }
        }
    }

    /**
     * Several addresses in their configured order, for the first connection and every recovery (amqp-client
     * would shuffle them); one address resolved to all its IPs, as amqp-client resolves a single host.
     */
    private static AddressResolver resolver(RabbitMqOptions options) {
        List<Address> list = options.addresses().stream().map(a -> new Address(a.host(), a.port())).toList();
        if (list.size() == 1) {
            return new DnsRecordIpAddressResolver(list.get(0), options.tls());
        }
        return new AddressResolver() {
            @Override
            public List<Address> getAddresses() {
                return list;
            }

            @Override
            public List<Address> maybeShuffle(List<Address> input) {
                return input;
            }
        };
    }

    /** The IP address and port a connection reached. */
    private static String where(Connection connection) {
        return connection.getAddress().getHostAddress() + ":" + connection.getPort();
    }

    private static SSLContext sslContext(RabbitMqOptions options) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (options.trustStore().isPresent()) {
                KeyStore store = KeyStore.getInstance(options.trustStore().get().endsWith(".jks") ? "JKS" : "PKCS12");
                char[] password = options.trustStorePassword().map(String::toCharArray).orElse(null);
                try (InputStream in = Files.newInputStream(Path.of(options.trustStore().get()))) {
                    store.load(in, password);
                }
                trust.init(store);
            } else {
                trust.init((KeyStore) null);
            }
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            // the key leads the message, as for every other malformed setting; the password never appears
            throw new ConfigurationException(RabbitMqOptions.TRUST_STORE, RabbitMqOptions.TRUST_STORE
                    + " must be a readable PKCS12 or JKS truststore (with its password in "
                    + RabbitMqOptions.TRUST_STORE_PASSWORD + "), was \"" + options.trustStore().orElse("JVM default")
                    + "\": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
