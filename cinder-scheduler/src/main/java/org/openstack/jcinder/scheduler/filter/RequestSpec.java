package org.openstack.jcinder.scheduler.filter;

import java.util.Map;

/** What a volume needs from a backend: size, the type's extra specs, the availability zone asked for. */
public record RequestSpec(String volumeId, int sizeGb, Map<String, String> extraSpecs, String availabilityZone) {

    public RequestSpec {
        extraSpecs = extraSpecs == null ? Map.of() : Map.copyOf(extraSpecs);
    }
}
