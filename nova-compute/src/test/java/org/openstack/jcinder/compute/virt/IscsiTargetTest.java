package org.openstack.jcinder.compute.virt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Cinder's iSCSI connection_info as the compute side reads it. */
class IscsiTargetTest {

    @Test
    void portalsAreParsedTheWayCinderWritesThem() {
        IscsiTarget v4 = IscsiTarget.of("10.0.0.12:3261", "iqn.2010-10.org.openstack:volume-1", 1, "CHAP", "u", "p");
        assertThat(v4.host()).isEqualTo("10.0.0.12");
        assertThat(v4.port()).isEqualTo(3261);
        assertThat(IscsiTarget.of("10.0.0.12", "iqn.x", 1, null, null, null).port()).isEqualTo(3260);
        IscsiTarget v6 = IscsiTarget.of("[fd00::12]:3260", "iqn.x", 2, null, null, null);
        assertThat(v6.host()).isEqualTo("fd00::12");
        assertThat(v6.portal()).isEqualTo("[fd00::12]:3260");
        assertThat(v6.chap()).isFalse();
        assertThat(v4.byPath()).isEqualTo(Path.of(
                "/dev/disk/by-path/ip-10.0.0.12:3261-iscsi-iqn.2010-10.org.openstack:volume-1-lun-1"));
    }

    @Test
    void thePasswordStaysOutOfMessagesAndUnknownAuthIsRefused() {
        IscsiTarget t = IscsiTarget.of("10.0.0.12:3260", "iqn.x", 1, "CHAP", "user1", "s3cret-value");
        assertThat(t.toString()).contains("user1").doesNotContain("s3cret-value");
        assertThat(Disk.iscsi("vdb", t, "vol").toString()).doesNotContain("s3cret-value");
        assertThatThrownBy(() -> IscsiTarget.of("10.0.0.12:3260", "iqn.x", 1, "SRP", "u", "p"))
                .hasMessageContaining("only CHAP");
        assertThatThrownBy(() -> IscsiTarget.of(null, "iqn.x", 1, null, null, null))
                .hasMessageContaining("target_portal");
    }
}
