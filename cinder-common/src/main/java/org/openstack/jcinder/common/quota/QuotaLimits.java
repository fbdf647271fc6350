package org.openstack.jcinder.common.quota;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.QuotaSettings;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.springframework.stereotype.Component;

/**
 * Which limit applies (Cinder's DbQuotaDriver): the project's own, else the "default" quota class's (when
 * {@code use_default_quota_class}), else cinder.conf's option; per-type resources default to -1.
 */
@Component
public class QuotaLimits {

    public static final String DEFAULT_CLASS = "default";

    private final QuotaStore store;
    private final CinderConfig config;
    private final VolumeTypeRepository types;

    public QuotaLimits(QuotaStore store, CinderConfig config, VolumeTypeRepository types) {
        this.store = store;
        this.config = config;
        this.types = types;
    }

    /** Every resource Cinder knows now (the per-type ones follow the volume types that exist). */
    public List<String> resources() {
        return QuotaResources.all(types.findByDeletedFalseOrderByName().stream().map(VolumeTypeEntity::getName)
                .toList());
    }

    /** Cinder's get_defaults. */
    public Map<String, Integer> defaults() {
        QuotaSettings settings = config.quotas();
        Map<String, Integer> fromClass = settings.useDefaultQuotaClass() ? store.classLimits(DEFAULT_CLASS) : Map.of();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String r : resources()) {
            out.put(r, fromClass.getOrDefault(r, settings.defaultFor(r)));
        }
        return out;
    }

    /** Cinder's get_class_quotas with defaults. */
    public Map<String, Integer> forClass(String className) {
        Map<String, Integer> own = store.classLimits(className);
        Map<String, Integer> out = new LinkedHashMap<>();
        defaults().forEach((r, d) -> out.put(r, own.getOrDefault(r, d)));
        return out;
    }

    /** Cinder's get_project_quotas limits (the request context carries no quota class here, as usually there). */
    public Map<String, Integer> forProject(String projectId) {
        Map<String, Integer> own = store.projectLimits(projectId);
        Map<String, Integer> out = new LinkedHashMap<>();
        defaults().forEach((r, d) -> out.put(r, own.getOrDefault(r, d)));
        return out;
    }

    /** Limits and usages of every resource of a project. */
    public Map<String, QuotaUsage> usagesOf(String projectId) {
        Map<String, int[]> used = store.usages(projectId);
        Map<String, QuotaUsage> out = new LinkedHashMap<>();
        forProject(projectId).forEach((r, limit) -> {
            int[] u = used.getOrDefault(r, new int[] {0, 0});
            out.put(r, new QuotaUsage(limit, u[0], u[1]));
        });
        return out;
    }

    /** The project's explicitly set limits only (Cinder's get_project_quotas with defaults=False). */
    public Map<String, QuotaUsage> explicitUsagesOf(String projectId) {
        Map<String, int[]> used = store.usages(projectId);
        Map<String, QuotaUsage> out = new LinkedHashMap<>();
        store.projectLimits(projectId).forEach((r, limit) -> {
            int[] u = used.getOrDefault(r, new int[] {0, 0});
            out.put(r, new QuotaUsage(limit, u[0], u[1]));
        });
        return out;
    }
}
