package org.openstack.jcinder.common.quota;

import java.util.List;
import java.util.Map;

/**
 * Cinder's {@code OverQuota}: the (sorted) resources a reservation would push over their limits, with the
 * limits and usages seen. Callers turn it into the user-facing 413 for their resource ({@link QuotaErrors}).
 */
public class OverQuotaException extends RuntimeException {

    private final List<String> overs;
    private final Map<String, QuotaUsage> usages;

    public OverQuotaException(List<String> overs, Map<String, QuotaUsage> usages) {
        super("Quota exceeded for resources: " + overs);
        this.overs = List.copyOf(overs);
        this.usages = Map.copyOf(usages);
    }

    public List<String> overs() {
        return overs;
    }

    public Map<String, QuotaUsage> usages() {
        return usages;
    }
}
