package org.openstack.jcinder.common.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openstack.jcinder.common.config.ConnectionUrls;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V6 on a database that already has volumes (PostgreSQL and the embedded H2): each project's live volumes are
 * counted (volumes, gigabytes, per type); deleted volumes and a migration's temporary volume are not, and the
 * temporary one gets use_quota false.
 */
class QuotaBackfillMigrationTest {

    @TempDir
    static Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void existingVolumesAreCounted(String kind) {
        String connection = kind.equals("h2") ? "h2:file:" + dir.resolve("backfill") : TestServices.freshDatabase();
        ConnectionUrls.Jdbc jdbc = ConnectionUrls.database(connection, "test");
        DriverManagerDataSource ds = new DriverManagerDataSource(jdbc.url(), jdbc.username(), jdbc.password());
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("5").load().migrate();
        JdbcTemplate sql = new JdbcTemplate(ds);
        sql.update("INSERT INTO volume_types (id, name, created_at) VALUES ('t1', 'fast', CURRENT_TIMESTAMP)");
        volume(sql, "v1", "p1", 2, "t1", false, null);
        volume(sql, "v2", "p1", 3, "t1", false, null);
        volume(sql, "v3", "p1", 5, "t1", true, null);            // deleted: not counted
        volume(sql, "v4", "p1", 2, "t1", false, "target:v1");    // a migration's temporary volume: not counted
        volume(sql, "v5", "p2", 7, null, false, null);           // untyped

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("6").load().migrate();

        Map<String, Integer> usage = new HashMap<>();
        sql.query("SELECT project_id, resource, in_use, reserved FROM quota_usages", rs -> {
            assertThat(rs.getInt(4)).isZero();
            usage.put(rs.getString(1) + " " + rs.getString(2), rs.getInt(3));
        });
        assertThat(usage).containsExactlyInAnyOrderEntriesOf(Map.of("p1 volumes", 2, "p1 gigabytes", 5,
                "p1 volumes_fast", 2, "p1 gigabytes_fast", 5, "p2 volumes", 1, "p2 gigabytes", 7));
        assertThat(sql.queryForObject("SELECT use_quota FROM volumes WHERE id = 'v4'", Boolean.class)).isFalse();
        assertThat(sql.queryForObject("SELECT use_quota FROM volumes WHERE id = 'v1'", Boolean.class)).isTrue();
    }

    private static void volume(JdbcTemplate sql, String id, String project, int size, String type, boolean deleted,
                               String migrationStatus) {
        sql.update("INSERT INTO volumes (id, size, status, attach_status, project_id, volume_type_id, created_at, "
                + "deleted, migration_status) VALUES (?, ?, 'available', 'detached', ?, ?, CURRENT_TIMESTAMP, ?, ?)",
                id, size, project, type, deleted, migrationStatus);
    }
}
