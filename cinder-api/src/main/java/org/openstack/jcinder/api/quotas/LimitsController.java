package org.openstack.jcinder.api.quotas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.quota.QuotaLimits;
import org.openstack.jcinder.common.quota.QuotaUsage;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v3/[project/]limits} (Cinder's v3/limits.py with the used_limits extension): the project's
 * absolute limits and, where {@code limits_extension:used_limits} allows, what it uses; no rate limits.
 * From 3.39 an administrator may ask for another project with {@code ?project_id=}.
 */
@RestController
public class LimitsController {

    private static final int LIMITS_ADMIN_FILTER = 39;
    private static final Map<String, String> MAX = Map.of("gigabytes", "maxTotalVolumeGigabytes",
            "backup_gigabytes", "maxTotalBackupGigabytes", "volumes", "maxTotalVolumes",
            "snapshots", "maxTotalSnapshots", "backups", "maxTotalBackups");
    private static final Map<String, String> USED = Map.of("totalVolumesUsed", "volumes",
            "totalGigabytesUsed", "gigabytes", "totalSnapshotsUsed", "snapshots", "totalBackupsUsed", "backups",
            "totalBackupGigabytesUsed", "backup_gigabytes");

    private final QuotaLimits limits;
    private final PolicyEnforcer policy;

    public LimitsController(QuotaLimits limits, PolicyEnforcer policy) {
        this.limits = limits;
        this.policy = policy;
    }

    @GetMapping({"/v3/{projectId}/limits", "/v3/limits"})
    public Map<String, Object> index(ApiRequest req, @RequestParam(name = "project_id", required = false) String projectId,
                                     @RequestParam(name = "tenant_id", required = false) String tenantId) {
        String project = req.projectId();
        if (req.version().atLeast(LIMITS_ADMIN_FILTER) && policy.isAdmin(req)) {
            project = projectId != null ? projectId : tenantId != null ? tenantId : project;
        }
        Map<String, QuotaUsage> usages = limits.usagesOf(project);
        Map<String, Object> absolute = new LinkedHashMap<>();
        usages.forEach((r, u) -> {
            if (MAX.containsKey(r)) {
                absolute.put(MAX.get(r), u.limit());
            }
        });
        if (policy.allows(req, QuotaPolicies.USED_LIMITS, PolicyTarget.project(req.projectId()))) {
            USED.forEach((name, r) -> absolute.put(name, usages.get(r).inUse()));
        }
        return Map.of("limits", Map.of("rate", List.of(), "absolute", absolute));
    }
}
