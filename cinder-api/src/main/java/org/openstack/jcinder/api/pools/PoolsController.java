package org.openstack.jcinder.api.pools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v3/[project/]scheduler-stats/get_pools}: asks the scheduler, which holds the backend state. */
@RestController
public class PoolsController {

    private final SchedulerRpcApi scheduler;

    private final PolicyEnforcer policy;

    public PoolsController(SchedulerRpcApi scheduler, PolicyEnforcer policy) {
        this.policy = policy;
        this.scheduler = scheduler;
    }

    @GetMapping({"/v3/{projectId}/scheduler-stats/get_pools", "/v3/scheduler-stats/get_pools"})
    public Map<String, Object> pools(ApiRequest req, @RequestParam Map<String, String> params) {
        policy.authorize(req, PoolPolicies.GET_POOLS);
        boolean detail = "true".equalsIgnoreCase(params.getOrDefault("detail", "false"));
        Map<String, String> filters = new LinkedHashMap<>(params);
        filters.remove("detail");
        List<Map<String, Object>> out = scheduler.getPools(req.context(), filters).stream()
                .map(p -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", p.name());
                    if (detail) {
                        m.put("capabilities", p.capabilities());
                    }
                    return m;
                }).toList();
        return Map.of("pools", out);
    }
}
