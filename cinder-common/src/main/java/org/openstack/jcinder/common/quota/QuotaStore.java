package org.openstack.jcinder.common.quota;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.openstack.jcinder.common.db.Clock;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The three quota tables in plain SQL (they are rows of numbers keyed by name, and the locking read must be
 * exactly {@code SELECT … FOR UPDATE}). Runs inside the caller's transaction.
 */
@Component
public class QuotaStore {

    private final JdbcTemplate sql;

    public QuotaStore(DataSource dataSource) {
        this.sql = new JdbcTemplate(dataSource);
    }

    public Map<String, Integer> projectLimits(String projectId) {
        Map<String, Integer> out = new HashMap<>();
        sql.query("SELECT resource, hard_limit FROM quotas WHERE project_id = ?",
                rs -> { out.put(rs.getString(1), rs.getInt(2)); }, projectId);
        return out;
    }

    public Map<String, Integer> classLimits(String className) {
        Map<String, Integer> out = new HashMap<>();
        sql.query("SELECT resource, hard_limit FROM quota_classes WHERE class_name = ?",
                rs -> { out.put(rs.getString(1), rs.getInt(2)); }, className);
        return out;
    }

    public void setProjectLimit(String projectId, String resource, int limit) {
        Timestamp now = Timestamp.valueOf(Clock.now());
        if (sql.update("UPDATE quotas SET hard_limit = ?, updated_at = ? WHERE project_id = ? AND resource = ?",
                limit, now, projectId, resource) == 0) {
            sql.update("INSERT INTO quotas (project_id, resource, hard_limit, created_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING", projectId, resource, limit, now);
            sql.update("UPDATE quotas SET hard_limit = ?, updated_at = ? WHERE project_id = ? AND resource = ?",
                    limit, now, projectId, resource);
        }
    }

    public void deleteProjectLimits(String projectId) {
        sql.update("DELETE FROM quotas WHERE project_id = ?", projectId);
    }

    public void setClassLimit(String className, String resource, int limit) {
        Timestamp now = Timestamp.valueOf(Clock.now());
        if (sql.update("UPDATE quota_classes SET hard_limit = ?, updated_at = ? WHERE class_name = ? AND resource = ?",
                limit, now, className, resource) == 0) {
            sql.update("INSERT INTO quota_classes (class_name, resource, hard_limit, created_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING", className, resource, limit, now);
            sql.update("UPDATE quota_classes SET hard_limit = ?, updated_at = ? WHERE class_name = ? AND resource = ?",
                    limit, now, className, resource);
        }
    }

    /** Usages without locks, for showing. */
    public Map<String, int[]> usages(String projectId) {
        Map<String, int[]> out = new HashMap<>();
        sql.query("SELECT resource, in_use, reserved FROM quota_usages WHERE project_id = ?",
                rs -> { out.put(rs.getString(1), new int[] {rs.getInt(2), rs.getInt(3)}); }, projectId);
        return out;
    }

    /**
     * Locks the usage rows of {@code resources}, creating missing ones, one resource at a time in name order:
     * every writer takes them in the same order, so two requests wait for each other but never deadlock, and a
     * refused request's new rows go with its rollback. Returns {in_use, reserved} by resource.
     */
    public Map<String, int[]> lockUsages(String projectId, Collection<String> resources) {
        Timestamp now = Timestamp.valueOf(Clock.now());
        Map<String, int[]> out = new HashMap<>();
        for (String r : new TreeSet<>(resources)) {
            try {
                sql.update("INSERT INTO quota_usages (project_id, resource, in_use, reserved, created_at) "
                        + "VALUES (?, ?, 0, 0, ?) ON CONFLICT DO NOTHING", projectId, r, now);
            } catch (DataIntegrityViolationException e) {
                // H2 reports a concurrent insert of the same row instead of skipping it; the row exists either way.
            }
            sql.query("SELECT in_use, reserved FROM quota_usages WHERE project_id = ? AND resource = ? FOR UPDATE",
                    rs -> { out.put(r, new int[] {rs.getInt(1), rs.getInt(2)}); }, projectId, r);
            out.putIfAbsent(r, new int[] {0, 0});
        }
        return out;
    }

    /**
     * Cinder's update_quota_resource: a volume type renamed, its per-type limits, class limits and usages
     * follow the new name.
     */
    public void renameTypeResources(String oldTypeName, String newTypeName) {
        Timestamp now = Timestamp.valueOf(Clock.now());
        for (String part : new String[] {"volumes", "gigabytes", "snapshots"}) {
            String from = part + "_" + oldTypeName;
            String to = part + "_" + newTypeName;
            for (String table : new String[] {"quotas", "quota_classes", "quota_usages"}) {
                sql.update("UPDATE " + table + " SET resource = ?, updated_at = ? WHERE resource = ?", to, now, from);
            }
        }
    }

    public void addUsage(String projectId, String resource, int inUseDelta, int reservedDelta) {
        sql.update("UPDATE quota_usages SET in_use = GREATEST(in_use + ?, 0), reserved = GREATEST(reserved + ?, 0), "
                + "updated_at = ? WHERE project_id = ? AND resource = ?", inUseDelta, reservedDelta,
                Timestamp.valueOf(Clock.now()), projectId, resource);
    }
}
