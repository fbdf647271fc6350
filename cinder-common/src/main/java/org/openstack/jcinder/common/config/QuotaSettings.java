package org.openstack.jcinder.common.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.openstack.jcinder.shared.config.IniFile;

/**
 * cinder.conf's quota defaults, by Cinder's resource names ({@code volumes}, {@code gigabytes}, …): what a
 * project gets where neither it nor the "default" quota class has a limit of its own.
 */
public record QuotaSettings(Map<String, Integer> defaults, boolean useDefaultQuotaClass) {

    public static QuotaSettings from(IniFile ini) {
        Map<String, Integer> d = new LinkedHashMap<>();
        d.put("volumes", CinderOptions.QUOTA_VOLUMES.get(ini));
        d.put("per_volume_gigabytes", CinderOptions.PER_VOLUME_SIZE_LIMIT.get(ini));
        d.put("snapshots", CinderOptions.QUOTA_SNAPSHOTS.get(ini));
        d.put("gigabytes", CinderOptions.QUOTA_GIGABYTES.get(ini));
        d.put("backups", CinderOptions.QUOTA_BACKUPS.get(ini));
        d.put("backup_gigabytes", CinderOptions.QUOTA_BACKUP_GIGABYTES.get(ini));
        d.put("groups", CinderOptions.QUOTA_GROUPS.get(ini));
        return new QuotaSettings(Map.copyOf(d), CinderOptions.USE_DEFAULT_QUOTA_CLASS.get(ini));
    }

    /** The configured default; -1 (unlimited) for per-type resources, which have no option (as in Cinder). */
    public int defaultFor(String resource) {
        return defaults.getOrDefault(resource, -1);
    }
}
