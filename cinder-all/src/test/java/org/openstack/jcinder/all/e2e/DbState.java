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

    /** Statuses the services leave by themselves; a row in one may change with no request. */
    static final String MOVING = "('creating', 'deleting', 'extending', 'migrating', 'retyping', 'maintenance')";
    private static final String SETTLED = "(select id from volumes where status not in " + MOVING
            + " and coalesce(migration_status, '') not in ('starting', 'migrating', 'completing'))";
    private static final String FINGERPRINT = "select concat_ws(' ', "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t.id), '')) from volumes t where t.id in "
            + SETTLED + "), "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from volume_metadata t "
            + "where t.volume_id in " + SETTLED + "), "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from volume_types t), "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from volume_type_extra_specs t), "
            + "(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from volume_attachment t "
            + "where t.volume_id in " + SETTLED + "), "
            + "(select count(*) from volumes)::text)";
    private static final String MOVING_COUNT = "select count(*) from volumes where status in " + MOVING
            + " or coalesce(migration_status, '') in ('starting', 'migrating', 'completing')";

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
        return one(FINGERPRINT);
    }

    /** Waits (up to {@code millis}) until no volume is in a status the services move on by themselves. */
    boolean settle(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (!one(MOVING_COUNT).equals("0")) {
            if (System.currentTimeMillis() > until) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    java.util.List<String> column(String sql) {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private String one(String sql) {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
