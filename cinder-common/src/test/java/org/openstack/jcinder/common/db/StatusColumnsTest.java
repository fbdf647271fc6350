package org.openstack.jcinder.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.CommonContextTestBase;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The typed columns hold exactly the strings they held as strings (real PostgreSQL, read back with plain SQL),
 * and every conditional update that names a status in its query writes and matches those strings.
 */
class StatusColumnsTest extends CommonContextTestBase {

    private VolumeRepository volumes;
    private JdbcTemplate sql;
    private String host;

    @BeforeEach
    void beans() {
        volumes = ctx.getBean(VolumeRepository.class);
        sql = new JdbcTemplate(ctx.getBean(DataSource.class));
        host = "h-" + UUID.randomUUID().toString().substring(0, 8) + "@b#b";
    }

    private VolumeEntity newVolume(VolumeStatus status, MigrationStatus migrationStatus) {
        VolumeEntity v = new VolumeEntity();
        v.setId(UUID.randomUUID().toString());
        v.setSize(1);
        v.setStatus(status);
        v.setAttachStatus(AttachStatus.DETACHED);
        v.setMigrationStatus(migrationStatus);
        v.setHost(host);
        v.setProjectId("p");
        v.setVolumeTypeId(ctx.getBean(VolumeTypeRepository.class).findByNameAndDeletedFalse("__DEFAULT__").get(0)
                .getId());
        v.setCreatedAt(Clock.now());
        return volumes.saveAndFlush(v);
    }

    /** The row as the database has it: status, attach_status, migration_status, previous_status. */
    private List<String> row(String id) {
        Map<String, Object> r = sql.queryForMap("select status, attach_status, migration_status, previous_status "
                + "from volumes where id = ?", id);
        return java.util.Arrays.asList((String) r.get("status"), (String) r.get("attach_status"),
                (String) r.get("migration_status"), (String) r.get("previous_status"));
    }

    @Test
    void entitiesAreStoredAsCinderSpellsThemAndReadBack() {
        String sourceId = UUID.randomUUID().toString();
        VolumeEntity v = newVolume(VolumeStatus.IN_USE, MigrationStatus.target(sourceId));
        v.setAttachStatus(AttachStatus.ERROR_DETACHING);
        v.setPreviousStatus(VolumeStatus.ERROR_EXTENDING);
        volumes.saveAndFlush(v);
        assertThat(row(v.getId())).containsExactly("in-use", "error_detaching", "target:" + sourceId,
                "error_extending");
        VolumeEntity read = volumes.findById(v.getId()).orElseThrow();
        assertThat(read.getStatus()).isEqualTo(VolumeStatus.IN_USE);
        assertThat(read.getMigrationStatus()).isEqualTo(MigrationStatus.target(sourceId));

        VolumeAttachmentEntity a = new VolumeAttachmentEntity();
        a.setId(UUID.randomUUID().toString());
        a.setVolumeId(v.getId());
        a.setAttachStatus(AttachStatus.RESERVED);
        a.setCreatedAt(Clock.now());
        ctx.getBean(VolumeAttachmentRepository.class).saveAndFlush(a);
        assertThat(sql.queryForObject("select attach_status from volume_attachment where id = ?", String.class,
                a.getId())).isEqualTo("reserved");

        VolumeMigrationRepository migrations = ctx.getBean(VolumeMigrationRepository.class);
        VolumeMigrationEntity m = new VolumeMigrationEntity();
        m.setId(UUID.randomUUID().toString());
        m.setVolumeId(v.getId());
        m.setSourceHost(host);
        m.setDestinationHost("other@b#b");
        m.setPath(MigrationPath.ATTACHED);
        m.setState(MigrationPhase.WAITING_FOR_COMPUTE);
        m.setCreatedAt(Clock.now());
        migrations.saveAndFlush(m);
        assertThat(sql.queryForMap("select path, state from volume_migrations where id = ?", m.getId()))
                .containsEntry("path", "attached").containsEntry("state", "waiting-for-compute");
        assertThat(migrations.raiseProgress(m.getId(), 10, MigrationPhase.COMPUTE_COPYING, Clock.now())).isOne();
        assertThat(sql.queryForObject("select state from volume_migrations where id = ?", String.class, m.getId()))
                .isEqualTo("compute-copying");
        assertThat(migrations.findById(m.getId()).orElseThrow().getState()).isEqualTo(MigrationPhase.COMPUTE_COPYING);
    }

    @Test
    void rowsWrittenAsPlainStringsReadBackTyped() {
        VolumeEntity v = newVolume(VolumeStatus.AVAILABLE, null);
        sql.update("update volumes set status = 'error_deleting', attach_status = 'attaching', "
                + "migration_status = 'target:abc', previous_status = 'maintenance' where id = ?", v.getId());
        VolumeEntity read = volumes.findById(v.getId()).orElseThrow();
        assertThat(read.getStatus()).isEqualTo(VolumeStatus.ERROR_DELETING);
        assertThat(read.getAttachStatus()).isEqualTo(AttachStatus.ATTACHING);
        assertThat(read.getMigrationStatus()).isEqualTo(MigrationStatus.target("abc"));
        assertThat(read.getPreviousStatus()).isEqualTo(VolumeStatus.MAINTENANCE);
    }

    @Test
    void aMigrationWritesCindersMigrationStatuses() {
        VolumeEntity v = newVolume(VolumeStatus.AVAILABLE, null);
        assertThat(volumes.startMigration(v.getId(), "other@b", true, Clock.now())).isOne();
        assertThat(row(v.getId())).containsExactly("maintenance", "detached", "starting", "available");
        assertThat(volumes.startMigration(v.getId(), "other@b", true, Clock.now())).as("one in flight").isZero();
        assertThat(volumes.startRetype(v.getId(), "another-type", Clock.now())).isZero();
        assertThat(volumes.compareAndSetMigrationStatus(v.getId(), List.of(MigrationStatus.STARTING),
                MigrationStatus.MIGRATING, Clock.now())).isOne();
        assertThat(volumes.findByHostStartingWithAndMigrationStatusInAndDeletedFalse(host, MigrationStatus.ACTIVE))
                .extracting(VolumeEntity::getId).containsExactly(v.getId());
        assertThat(volumes.markDeleting(v.getId(), List.of(VolumeStatus.MAINTENANCE), Clock.now())).isZero();

        assertThat(volumes.failMigration(v.getId(), MigrationStatus.ACTIVE, "why", Clock.now())).isOne();
        assertThat(row(v.getId())).containsExactly("available", "detached", "error", "available");

        assertThat(volumes.startMigration(v.getId(), "other@b", false, Clock.now())).as("after error").isOne();
        assertThat(row(v.getId())).containsExactly("available", "detached", "starting", "available");
        volumes.compareAndSetMigrationStatus(v.getId(), List.of(MigrationStatus.STARTING), MigrationStatus.MIGRATING,
                Clock.now());
        assertThat(volumes.finishMovedByDriver(v.getId(), "other@b#b", null, "/x", null, Clock.now())).isOne();
        assertThat(row(v.getId())).containsExactly("available", "detached", "success", "available");
    }

    @Test
    void aTemporaryVolumeIsNeitherInFlightNorMigratable() {
        VolumeEntity source = newVolume(VolumeStatus.AVAILABLE, MigrationStatus.MIGRATING);
        VolumeEntity tmp = newVolume(VolumeStatus.AVAILABLE, MigrationStatus.target(source.getId()));
        assertThat(volumes.startMigration(tmp.getId(), "other@b", false, Clock.now())).isZero();
        assertThat(volumes.findByHostStartingWithAndMigrationStatusInAndDeletedFalse(host, MigrationStatus.ACTIVE))
                .extracting(VolumeEntity::getId).containsExactly(source.getId());
        assertThat(volumes.compareAndSetMigrationStatus(tmp.getId(), List.of(MigrationStatus.target("another")),
                MigrationStatus.DELETING, Clock.now())).isZero();
        assertThat(volumes.compareAndSetMigrationStatus(tmp.getId(), List.of(MigrationStatus.target(source.getId())),
                MigrationStatus.DELETING, Clock.now())).isOne();
        assertThat(volumes.markDeleting(tmp.getId(), List.of(VolumeStatus.AVAILABLE), Clock.now())).isOne();
        assertThat(row(tmp.getId())).containsExactly("deleting", "detached", "deleting", "available");
        assertThat(volumes.softDelete(tmp.getId(), Clock.now())).isOne();
        assertThat(row(tmp.getId()).get(0)).isEqualTo("deleted");
    }

    @Test
    void createAttachDetachExtendRetypeAndReset() {
        VolumeEntity v = newVolume(VolumeStatus.CREATING, null);
        v.setHost(null);
        volumes.saveAndFlush(v);
        assertThat(volumes.assignHost(v.getId(), VolumeStatus.CREATING, host, null, Clock.now())).isOne();
        assertThat(volumes.markCreated(v.getId(), "/loc", Clock.now())).isOne();
        assertThat(row(v.getId()).get(0)).isEqualTo("available");

        assertThat(volumes.markAttached(v.getId(), List.of(VolumeStatus.AVAILABLE), Clock.now())).isOne();
        assertThat(row(v.getId()).subList(0, 2)).containsExactly("in-use", "attached");
        sql.update("update volumes set migration_status = 'migrating' where id = ?", v.getId());
        assertThat(volumes.markDetached(v.getId(), Clock.now())).isOne();
        assertThat(row(v.getId()).subList(0, 3)).as("a migration keeps the status").containsExactly("in-use",
                "detached", "migrating");
        sql.update("update volumes set migration_status = 'target:abc' where id = ?", v.getId());
        assertThat(volumes.markDetached(v.getId(), Clock.now())).isOne();
        assertThat(row(v.getId()).subList(0, 3)).containsExactly("available", "detached", "target:abc");

        assertThat(volumes.resetStatus(v.getId(), null, null, true, null, Clock.now())).isOne();
        assertThat(row(v.getId())).containsExactly("available", "detached", null, null);
        assertThat(volumes.startExtend(v.getId(), 2, List.of(VolumeStatus.AVAILABLE), Clock.now())).isOne();
        assertThat(row(v.getId())).containsExactly("extending", "detached", null, "available");
        assertThat(volumes.finishExtend(v.getId(), 2, Clock.now())).isOne();
        assertThat(row(v.getId())).containsExactly("available", "detached", null, "extending");

        assertThat(volumes.startRetype(v.getId(), "another-type", Clock.now())).isOne();
        assertThat(row(v.getId())).containsExactly("retyping", "detached", null, "available");
        assertThat(volumes.startRetypeMigration(v.getId(), Clock.now())).isOne();
        assertThat(row(v.getId()).get(2)).isEqualTo("starting");
        assertThat(volumes.failMigration(v.getId(), List.of(MigrationStatus.STARTING), "no", Clock.now())).isOne();
        assertThat(row(v.getId())).containsExactly("available", "detached", "error", "available");
        sql.update("update volumes set status = 'retyping', previous_status = null where id = ?", v.getId());
        assertThat(volumes.finishRetype(v.getId(), null, null, Clock.now())).isOne();
        assertThat(row(v.getId()).get(0)).as("coalesce to available").isEqualTo("available");

        assertThat(volumes.resetStatus(v.getId(), VolumeStatus.ERROR, AttachStatus.ATTACHED, true,
                MigrationStatus.COMPLETING, Clock.now())).isOne();
        assertThat(row(v.getId())).containsExactly("error", "attached", "completing", null);
        assertThat(volumes.resetStatus(v.getId(), null, null, false, null, Clock.now())).isOne();
        assertThat(row(v.getId())).as("nothing given, nothing changed")
                .containsExactly("error", "attached", "completing", null);
        assertThat(volumes.compareAndSetStatusWithReason(v.getId(), List.of(VolumeStatus.ERROR),
                VolumeStatus.ERROR_MANAGING, "r", Clock.now())).isOne();
        assertThat(row(v.getId()).get(0)).isEqualTo("error_managing");
    }
}
