package dev.switchboard.examples.checkout;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Where the services with a database (orders, payments) keep it, each its own: schemas of one PostgreSQL database
 * when {@code postgresUrl} is set, else embedded H2 files under {@code dataDir}. See {@link ServiceDatabase}.
 *
 * @param postgresUrl a {@code jdbc:postgresql:} URL ({@code --database-url} or {@code CHECKOUT_DATABASE_URL}), or null
 * @param dataDir the folder of the H2 files ({@code --data-dir}, by default {@code <java.io.tmpdir>/switchboard-checkout})
 */
record Databases(String postgresUrl, Path dataDir) {
    Databases {
        if (postgresUrl != null && !postgresUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--database-url (or CHECKOUT_DATABASE_URL) must be a jdbc:postgresql: URL"
                    + " (without it: embedded H2 files), was " + ServiceDatabase.withoutPassword(postgresUrl));
        }
    }

    /** {@code CHECKOUT_DATABASE_URL} if set, else H2 files under the default folder. */
    static Databases fromEnvironment() {
        String url = System.getenv("CHECKOUT_DATABASE_URL");
        return new Databases(url == null || url.isBlank() ? null : url, defaultDataDir());
    }

    /** Embedded H2 files under {@code dataDir}. */
    static Databases embedded(Path dataDir) {
        return new Databases(null, dataDir);
    }

    static Path defaultDataDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "switchboard-checkout");
    }

    /** The database of {@code service} in the deployment {@code namespace}, with its table ({@code tableDdl}). */
    ServiceDatabase open(String namespace, String service, String tableDdl) throws SQLException {
        return ServiceDatabase.open(postgresUrl, dataDir, namespace, service, tableDdl);
    }
}
