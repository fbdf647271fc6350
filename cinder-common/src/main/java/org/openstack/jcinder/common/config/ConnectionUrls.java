package org.openstack.jcinder.common.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.openstack.jcinder.shared.config.ConfigException;

/**
 * Translates the URL forms OpenStack puts in cinder.conf ({@code rabbit://…}, {@code postgresql+psycopg2://…})
 * into what the Java clients take.
 */
public final class ConnectionUrls {

    private ConnectionUrls() {
    }

    /** One broker of a {@code transport_url}; several are tried in order. */
    public record BrokerAddress(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public record Transport(List<BrokerAddress> brokers, String username, String password, String virtualHost) {
        public String addresses() {
            return String.join(",", brokers.stream().map(BrokerAddress::toString).toList());
        }
    }

    public record Jdbc(String url, String username, String password) {
    }

    /** Parses {@code rabbit://user:pass@host:port[,user:pass@host2:port]/vhost}. */
    public static Transport transport(String url, String source) {
        String prefix = "rabbit://";
        if (!url.startsWith(prefix)) {
            throw new ConfigException(source + ": [DEFAULT] transport_url: '" + redact(url)
                    + "' is not a rabbit:// URL");
        }
        String rest = url.substring(prefix.length());
        String vhost = "/";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String v = decode(rest.substring(slash + 1));
            vhost = v.isEmpty() ? "/" : v;
            rest = rest.substring(0, slash);
        }
        String user = "guest";
        String password = "guest";
        List<BrokerAddress> brokers = new ArrayList<>();
        for (String hostPart : rest.split(",")) {
            String hp = hostPart;
            int at = hp.lastIndexOf('@');
            if (at >= 0) {
                String cred = hp.substring(0, at);
                int colon = cred.indexOf(':');
                user = decode(colon >= 0 ? cred.substring(0, colon) : cred);
                password = colon >= 0 ? decode(cred.substring(colon + 1)) : "";
                hp = hp.substring(at + 1);
            }
            if (hp.isBlank()) {
                throw new ConfigException(source + ": [DEFAULT] transport_url: no broker host in '"
                        + redact(url) + "'");
            }
            int colon = hp.lastIndexOf(':');
            int port = 5672;
            String host = hp;
            if (colon >= 0) {
                host = hp.substring(0, colon);
                try {
                    port = Integer.parseInt(hp.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new ConfigException(source + ": [DEFAULT] transport_url: bad port in '"
                            + redact(url) + "'");
                }
            }
            brokers.add(new BrokerAddress(host, port));
        }
        return new Transport(List.copyOf(brokers), user, password, vhost);
    }

    /**
     * Accepts SQLAlchemy URLs ({@code postgresql://}, {@code postgresql+psycopg2://}), plain JDBC URLs, and
     * {@code h2:file:/path} for the embedded database.
     */
    public static Jdbc database(String connection, String source) {
        if (connection.startsWith("jdbc:")) {
            return new Jdbc(connection, null, null);
        }
        if (connection.startsWith("h2:")) {
            return new Jdbc("jdbc:" + connection + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH", "sa", "");
        }
        int schemeEnd = connection.indexOf("://");
        String scheme = schemeEnd > 0 ? connection.substring(0, schemeEnd) : "";
        if (!scheme.equals("postgresql") && !scheme.startsWith("postgresql+")) {
            throw new ConfigException(source + ": [database] connection: '" + redact(connection)
                    + "' is not a postgresql:// URL (other databases are not supported)");
        }
        String rest = connection.substring(schemeEnd + 3);
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String cred = rest.substring(0, at);
            int colon = cred.indexOf(':');
            user = decode(colon >= 0 ? cred.substring(0, colon) : cred);
            password = colon >= 0 ? decode(cred.substring(colon + 1)) : null;
            rest = rest.substring(at + 1);
        }
        return new Jdbc("jdbc:postgresql://" + rest, user, password);
    }

    /** Hides the password so URLs can appear in errors and logs. */
    public static String redact(String url) {
        return url.replaceAll("(://[^:/@]*):[^@/]*@", "$1:***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
