package org.openstack.jcinder.scheduler.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.capability.PoolCapabilities;
import org.openstack.jcinder.scheduler.host.PoolState;

class FiltersTest {

    private static PoolState pool(String backendName, double total, double free, double provisioned, int reserved,
                                  boolean thin, double ratio, double consumed) {
        PoolCapabilities p = new PoolCapabilities(backendName, total, free, provisioned, provisioned, reserved, thin,
                !thin, ratio, false, "loc");
        BackendCapabilities b = new BackendCapabilities("h@" + backendName, backendName, "v", "1", "iSCSI", "nova",
                "t", true, null, List.of(p));
        return new PoolState(b, p, "uuid", consumed);
    }

    private static RequestSpec spec(int size, Map<String, String> specs) {
        return new RequestSpec("v", size, specs, null);
    }

    @Test
    void capabilitiesMatchExtraSpecsWithCindersOperators() {
        CapabilitiesFilter f = new CapabilitiesFilter();
        PoolState lvm = pool("lvm", 100, 100, 0, 0, true, 1, 0);
        assertThat(f.passes(lvm, spec(1, Map.of("volume_backend_name", "lvm")))).isTrue();
        assertThat(f.passes(lvm, spec(1, Map.of("volume_backend_name", "other")))).isFalse();
        assertThat(f.passes(lvm, spec(1, Map.of("capabilities:storage_protocol", "<in> iSC")))).isTrue();
        assertThat(f.passes(lvm, spec(1, Map.of("thin_provisioning_support", "<is> True")))).isTrue();
        assertThat(f.passes(lvm, spec(1, Map.of("thick_provisioning_support", "<is> True")))).isFalse();
        assertThat(f.passes(lvm, spec(1, Map.of("volume_backend_name", "<or> nfs <or> lvm")))).isTrue();
        assertThat(f.passes(lvm, spec(1, Map.of("free_capacity_gb", ">= 50")))).isTrue();
        assertThat(f.passes(lvm, spec(1, Map.of("no_such_capability", "x")))).isFalse();
        // Other scopes belong to other components (QoS, Nova) and do not constrain placement.
        assertThat(f.passes(lvm, spec(1, Map.of("qos:maxIOPS", "100", "hw:foo", "bar")))).isTrue();
    }

    @Test
    void capacityCountsReservedSpaceAndWhatWasPlacedSinceTheLastReport() {
        CapacityFilter f = new CapacityFilter();
        assertThat(f.passes(pool("a", 100, 10, 90, 0, false, 1, 0), spec(10, Map.of()))).isTrue();
        assertThat(f.passes(pool("a", 100, 10, 90, 0, false, 1, 0), spec(11, Map.of()))).isFalse();
        assertThat(f.passes(pool("a", 100, 20, 80, 10, false, 1, 0), spec(11, Map.of()))).isFalse();
        assertThat(f.passes(pool("a", 100, 20, 80, 0, false, 1, 15), spec(10, Map.of()))).isFalse();
        // Thin with over-subscription: provisioned may exceed free, within total × ratio.
        assertThat(f.passes(pool("t", 100, 5, 150, 0, true, 2.0, 0), spec(40, Map.of()))).isTrue();
        assertThat(f.passes(pool("t", 100, 5, 150, 0, true, 2.0, 0), spec(60, Map.of()))).isFalse();
        assertThat(f.passes(pool("t", 0, 0, 0, 0, true, 2.0, 0), spec(1, Map.of()))).isFalse();
    }
}
