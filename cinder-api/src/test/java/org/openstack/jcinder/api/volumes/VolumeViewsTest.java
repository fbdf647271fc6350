package org.openstack.jcinder.api.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

class VolumeViewsTest {

    @Test
    void timestampsLookLikeCinders() {
        assertThat(VolumeViews.time(LocalDateTime.of(2026, 11, 24, 18, 32, 12, 150_756_000)))
                .isEqualTo("2026-11-24T18:32:12.150756");
        assertThat(VolumeViews.time(LocalDateTime.of(2026, 1, 2, 3, 4, 5, 0))).isEqualTo("2026-01-02T03:04:05.000000");
        assertThat(VolumeViews.time(LocalDateTime.of(999, 1, 2, 3, 4, 5, 7_000))).isEqualTo("0999-01-02T03:04:05.000007");
        assertThat(VolumeViews.time(null)).isNull();
    }
}
