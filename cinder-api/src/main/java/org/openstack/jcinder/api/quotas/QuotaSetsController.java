package org.openstack.jcinder.api.quotas;

import java.util.LinkedHashMap;
import java.util.Map;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.quota.QuotaLimits;
import org.openstack.jcinder.common.quota.QuotaStore;
import org.openstack.jcinder.common.quota.QuotaUsage;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code /v3/[project/]os-quota-sets/{target}} (Cinder's contrib/quotas.py): a project's limits (with
 * {@code ?usage=true} their in_use and reserved), its defaults, an administrator's update and delete.
 */
@RestController
public class QuotaSetsController {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaSetsController.class);

    private final QuotaLimits limits;
    private final QuotaStore store;
    private final PolicyEnforcer policy;

    public QuotaSetsController(QuotaLimits limits, QuotaStore store, PolicyEnforcer policy) {
        this.limits = limits;
        this.store = store;
        this.policy = policy;
    }

    @GetMapping({"/v3/{projectId}/os-quota-sets/{target}", "/v3/os-quota-sets/{target}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String target,
                                    @RequestParam(required = false) String usage) {
        policy.authorize(req, QuotaPolicies.SHOW, PolicyTarget.project(target));
        Map<String, Object> set = new LinkedHashMap<>();
        if (usage != null && QuotaParams.bool("usage", usage)) {
            limits.usagesOf(target).forEach((r, u) -> set.put(r, usageView(u)));
        } else {
            set.putAll(limits.forProject(target));
        }
        set.put("id", target);
        return Map.of("quota_set", set);
    }

    @GetMapping({"/v3/{projectId}/os-quota-sets/{target}/defaults", "/v3/os-quota-sets/{target}/defaults"})
    public Map<String, Object> defaults(ApiRequest req, @PathVariable String target) {
        policy.authorize(req, QuotaPolicies.SHOW, PolicyTarget.project(target));
        Map<String, Object> set = new LinkedHashMap<>(limits.defaults());
        set.put("id", target);
        return Map.of("quota_set", set);
    }

    @PutMapping({"/v3/{projectId}/os-quota-sets/{target}", "/v3/os-quota-sets/{target}"})
    @Transactional
    public Map<String, Object> update(ApiRequest req, @PathVariable String target,
                                      @RequestBody(required = false) JsonNode body) {
        Map<String, Integer> wanted = QuotaBodies.quotaSet(body, limits.resources()); // schema first, as Cinder
        policy.authorize(req, QuotaPolicies.UPDATE, PolicyTarget.project(target));
        if (target.length() > 255) {
            throw new CinderException(400, "Invalid input received: quota_set_name has " + target.length()
                    + " characters, more than 255.");
        }
        // Cinder's pass 1: no limit below what the project already uses and has reserved. As in Cinder, only
        // resources with a limit of the project's own are checked (get_project_quotas with defaults=False).
        Map<String, QuotaUsage> explicit = limits.explicitUsagesOf(target);
        wanted.forEach((key, value) -> {
            if (key.equals("per_volume_gigabytes") || value == -1) {
                return;
            }
            QuotaUsage u = explicit.get(key);
            long used = u == null ? 0 : u.consumed();
            if (value < used) {
                throw new CinderException(400, "Quota " + key + " limit must be equal or greater than existing "
                        + "resources. Current usage is " + used + " and the requested limit is " + value + ".");
            }
        });
        wanted.forEach((key, value) -> store.setProjectLimit(target, key, value));
        LOG.info("Quotas of project {} set by {}: {}", target, req.context().userId(), wanted);
        return Map.of("quota_set", new LinkedHashMap<>(limits.forProject(target)));
    }

    @DeleteMapping({"/v3/{projectId}/os-quota-sets/{target}", "/v3/os-quota-sets/{target}"})
    @Transactional
    public void delete(ApiRequest req, @PathVariable String target) {
        policy.authorize(req, QuotaPolicies.DELETE, PolicyTarget.project(target));
        store.deleteProjectLimits(target);
        LOG.info("Quotas of project {} reset to the defaults by {}", target, req.context().userId());
    }

    static Map<String, Object> usageView(QuotaUsage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("limit", u.limit());
        m.put("in_use", u.inUse());
        m.put("reserved", u.reserved());
        return m;
    }
}
