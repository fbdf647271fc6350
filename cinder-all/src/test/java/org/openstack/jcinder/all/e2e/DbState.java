package org.openstack.jcinder.all.e2e;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fingerprint of what the API can write (volumes, their metadata, types, extra specs, attachments), read
 * with plain JDBC. Rows in a transitional status are left out: the volume service moves those on by itself,
 * so they change between two reads without any request.
 */
final class DbState implements AutoCloseable {

    private static final String SETTLED = "(select id from volumes where status not in ('creating', 'deleting', "
            + "'extending', 'attaching', 'detaching', 'migrating', 'retyping', 'maintenance', 'reserved'))";
    private static final String[] QUERIES = {
        "select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from volumes t where t.id in " + SETTLED,
        "select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from volume_metadata t "
                + "where t.volume_id in " + SETTLED,
        "select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from volume_types t",
        "select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from volume_type_extra_specs t",
        "select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from volume_attachment t "
                + "where t.volume_id in " + SETTLED,
        "select count(*) from volumes",
    };

    private final Connection connection;

    DbState(String cinderConfUrl) throws SQLException {
        URI uri = URI.create(cinderConfUrl.replace("postgresql://", "http://"));
        String user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":")[0];
        String password = uri.getUserInfo() != null && uri.getUserInfo().contains(":")
                ? uri.getUserInfo().split(":", 2)[1] : null;
        connection = DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort()
                + uri.getPath(), user, password);
    }

    String fingerprint() {
        StringBuilder out = new StringBuilder();
        try (Statement s = connection.createStatement()) {
            for (String q : QUERIES) {
                try (ResultSet r = s.executeQuery(q)) {
                    r.next();
                    out.append(r.getString(1)).append(' ');
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
