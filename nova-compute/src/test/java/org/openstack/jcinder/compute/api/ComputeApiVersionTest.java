package org.openstack.jcinder.compute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.compute.exception.NovaException;

/** Microversion negotiation as novaclient and openstacksdk send it. */
class ComputeApiVersionTest {

    @Test
    void withoutAHeaderARequestGets21() {
        assertThat(ComputeApiVersion.negotiate(null, null)).isEqualTo(ComputeApiVersion.MIN);
    }

    @Test
    void bothHeaderFormsAreRead() {
        assertThat(ComputeApiVersion.negotiate("compute 2.79", null).minor()).isEqualTo(79);
        assertThat(ComputeApiVersion.negotiate(null, "2.60").minor()).isEqualTo(60);
        assertThat(ComputeApiVersion.negotiate("volume 3.44, compute 2.89", "2.1").minor()).isEqualTo(89);
        assertThat(ComputeApiVersion.negotiate("compute latest", null)).isEqualTo(ComputeApiVersion.MAX);
    }

    @Test
    void outOfRangeAndMalformedVersionsAreRefused() {
        assertThatThrownBy(() -> ComputeApiVersion.negotiate("compute 2.200", null))
                .isInstanceOf(NovaException.class).hasMessageContaining("is not supported by the API");
        assertThatThrownBy(() -> ComputeApiVersion.negotiate("compute 3.1", null))
                .isInstanceOf(NovaException.class).hasMessageContaining("Invalid API version request");
    }
}
