package org.openstack.jcinder.api.quotas;

import java.util.LinkedHashMap;
import java.util.Map;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.quota.QuotaLimits;
import org.openstack.jcinder.common.quota.QuotaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code /v3/[project/]os-quota-class-sets/{class}} (Cinder's contrib/quota_classes.py). The class named
 * {@code default} is where every project's defaults come from (with {@code use_default_quota_class}).
 */
@RestController
public class QuotaClassSetsController {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaClassSetsController.class);

    private final QuotaLimits limits;
    private final QuotaStore store;
    private final PolicyEnforcer policy;

    public QuotaClassSetsController(QuotaLimits limits, QuotaStore store, PolicyEnforcer policy) {
        this.limits = limits;
        this.store = store;
        this.policy = policy;
    }

    @GetMapping({"/v3/{projectId}/os-quota-class-sets/{quotaClass}", "/v3/os-quota-class-sets/{quotaClass}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String quotaClass) {
        policy.authorize(req, QuotaPolicies.CLASS_GET);
        Map<String, Object> set = new LinkedHashMap<>(limits.forClass(quotaClass));
        set.put("id", quotaClass);
        return Map.of("quota_class_set", set);
    }

    @PutMapping({"/v3/{projectId}/os-quota-class-sets/{quotaClass}", "/v3/os-quota-class-sets/{quotaClass}"})
    @Transactional
    public Map<String, Object> update(ApiRequest req, @PathVariable String quotaClass,
                                      @RequestBody(required = false) JsonNode body) {
        Map<String, Integer> wanted = QuotaBodies.quotaClassSet(body, limits.resources());
        policy.authorize(req, QuotaPolicies.CLASS_UPDATE);
        if (quotaClass.length() > 255) {
            throw new CinderException(400, "Invalid input received: quota_class_name has " + quotaClass.length()
                    + " characters, more than 255.");
        }
        wanted.forEach((key, value) -> store.setClassLimit(quotaClass, key, value));
        LOG.info("Quota class {} set by {}: {}", quotaClass, req.context().userId(), wanted);
        return Map.of("quota_class_set", new LinkedHashMap<>(limits.forClass(quotaClass)));
    }
}
