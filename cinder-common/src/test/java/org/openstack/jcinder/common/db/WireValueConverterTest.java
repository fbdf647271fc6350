package org.openstack.jcinder.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;

/** The converters write the wire spelling, read it back, keep null and refuse what they do not know. */
class WireValueConverterTest {

    @Test
    void everyValueIsStoredAsItsSpelling() {
        VolumeStatusConverter volume = new VolumeStatusConverter();
        for (VolumeStatus s : VolumeStatus.values()) {
            assertThat(volume.convertToDatabaseColumn(s)).isEqualTo(s.wire());
            assertThat(volume.convertToEntityAttribute(s.wire())).isSameAs(s);
        }
        AttachStatusConverter attach = new AttachStatusConverter();
        for (AttachStatus s : AttachStatus.values()) {
            assertThat(attach.convertToEntityAttribute(attach.convertToDatabaseColumn(s))).isSameAs(s);
        }
        MigrationPathConverter path = new MigrationPathConverter();
        for (MigrationPath p : MigrationPath.values()) {
            assertThat(path.convertToEntityAttribute(path.convertToDatabaseColumn(p))).isSameAs(p);
        }
        MigrationPhaseConverter phase = new MigrationPhaseConverter();
        for (MigrationPhase p : MigrationPhase.values()) {
            assertThat(phase.convertToEntityAttribute(phase.convertToDatabaseColumn(p))).isSameAs(p);
        }
        assertThat(volume.convertToDatabaseColumn(VolumeStatus.IN_USE)).isEqualTo("in-use");
        assertThat(phase.convertToDatabaseColumn(MigrationPhase.WAITING_FOR_COMPUTE)).isEqualTo("waiting-for-compute");
    }

    @Test
    void migrationStatusKeepsTheTargetForm() {
        MigrationStatusConverter c = new MigrationStatusConverter();
        for (MigrationStatus s : MigrationStatus.Standard.values()) {
            assertThat(c.convertToEntityAttribute(c.convertToDatabaseColumn(s))).isSameAs(s);
        }
        assertThat(c.convertToDatabaseColumn(MigrationStatus.target("0b1c"))).isEqualTo("target:0b1c");
        assertThat(c.convertToEntityAttribute("target:0b1c")).isEqualTo(MigrationStatus.target("0b1c"));
    }

    @Test
    void nullStaysNull() {
        assertThat(new VolumeStatusConverter().convertToDatabaseColumn(null)).isNull();
        assertThat(new VolumeStatusConverter().convertToEntityAttribute(null)).isNull();
        assertThat(new MigrationStatusConverter().convertToDatabaseColumn(null)).isNull();
        assertThat(new MigrationStatusConverter().convertToEntityAttribute(null)).isNull();
        assertThat(new MigrationPathConverter().convertToEntityAttribute(null)).isNull();
    }

    @Test
    void anUnknownColumnValueIsRefused() {
        assertThatThrownBy(() -> new VolumeStatusConverter().convertToEntityAttribute("IN_USE"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'IN_USE'");
        assertThatThrownBy(() -> new AttachStatusConverter().convertToEntityAttribute("3"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MigrationStatusConverter().convertToEntityAttribute("target:"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MigrationPhaseConverter().convertToEntityAttribute(""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
