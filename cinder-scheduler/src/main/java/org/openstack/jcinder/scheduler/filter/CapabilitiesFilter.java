package org.openstack.jcinder.scheduler.filter;

import java.util.Map;

import org.openstack.jcinder.scheduler.host.PoolState;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The volume type's extra specs match the pool's capabilities. Unscoped keys and keys scoped
 * {@code capabilities:} are matched; other scopes ({@code qos:}, {@code hw:} …) belong to other components.
 * Values use Cinder's operators: a plain value (string equality), {@code <is> True}, {@code <in> text},
 * {@code <or> a <or> b}, and {@code >=}/{@code <=} for numbers.
 */
@Component
@Order(2)
public class CapabilitiesFilter implements BackendFilter {

    @Override
    public String name() {
        return "CapabilitiesFilter";
    }

    @Override
    public boolean passes(PoolState pool, RequestSpec spec) {
        Map<String, Object> caps = pool.capabilityMap();
        for (Map.Entry<String, String> e : spec.extraSpecs().entrySet()) {
            String key = e.getKey();
            if (key.startsWith("capabilities:")) {
                key = key.substring("capabilities:".length());
            } else if (key.contains(":")) {
                continue;
            }
            Object actual = caps.get(key);
            if (!ExtraSpecMatcher.matches(actual, e.getValue())) {
                return false;
            }
        }
        return true;
    }
}
