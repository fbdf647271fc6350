package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Volume rows. Every status change is one conditional UPDATE whose WHERE clause holds the expected state, so
 * of two concurrent requests exactly one sees "1 row updated"; callers treat 0 as "the precondition failed".
 */
public interface VolumeRepository extends JpaRepository<VolumeEntity, String> {

    // The statuses in these queries are the types' constants, so Hibernate checks every one when the repository
    // starts and writes it through the converter. A bare name (AVAILABLE) where the other side is an enum
    // attribute; the qualified name where Hibernate cannot infer the type (case and coalesce branches) and for
    // MigrationStatus, which is not an enum.
    String VS = "org.openstack.jcinder.common.volume.VolumeStatus.";
    String MS = "org.openstack.jcinder.common.volume.MigrationStatus.";
    /** No migration in flight (Cinder's rule); a temporary volume's {@code target:<id>} is not one. */
    String NOT_MIGRATING = "(v.migrationStatus is null or v.migrationStatus not in (" + MS + "MIGRATING, "
            + MS + "STARTING, " + MS + "COMPLETING))";
    /** Free to start a migration or a retype: never migrated, or the last one is over (not a temporary volume). */
    String MIGRATION_OVER = "(v.migrationStatus is null or v.migrationStatus in (" + MS + "DELETING, " + MS
            + "ERROR, " + MS + "SUCCESS))";

    /**
     * Cinder's migrate precondition (one WHERE clause for the request and its dry-run): available or in-use, no
     * migration in flight, not already on the destination, no snapshots.
     */
    String MIGRATABLE = "v.id = :id and v.deleted = false and v.status in (AVAILABLE, IN_USE) "
            + "and " + MIGRATION_OVER + " "
            + "and (v.host is null or v.host <> :destination) "
            + "and not exists (select s.id from SnapshotEntity s where s.volumeId = v.id and s.deleted = false)";

    /**
     * {@link #startMigrationWithSnapshots}'s condition: available (so detached), no migration running, not already
     * there, and every snapshot of it available.
     */
    String MIGRATABLE_WITH_SNAPSHOTS = "v.id = :id and v.deleted = false and v.status = AVAILABLE "
            + "and " + MIGRATION_OVER + " "
            + "and (v.host is null or v.host <> :destination) "
            + "and not exists (select s.id from SnapshotEntity s where s.volumeId = v.id and s.deleted = false "
            + "and s.status <> 'available')";

    Optional<VolumeEntity> findByIdAndDeletedFalse(String id);

    /** 1 when {@link #startMigration} would accept the volume now, else 0; changes nothing (the dry-run's check). */
    @Query("select count(v) from VolumeEntity v where " + MIGRATABLE)
    long countMigratable(@Param("id") String id, @Param("destination") String destination);

    /** 1 when {@link #startMigrationWithSnapshots} would accept the volume now, else 0; changes nothing. */
    @Query("select count(v) from VolumeEntity v where " + MIGRATABLE_WITH_SNAPSHOTS)
    long countMigratableWithSnapshots(@Param("id") String id, @Param("destination") String destination);

    List<VolumeEntity> findByHostStartingWithAndDeletedFalse(String hostPrefix);

    /** The live volumes of a backend ({@code host@backend#}) in one status. */
    List<VolumeEntity> findByHostStartingWithAndStatusAndDeletedFalse(String hostPrefix, VolumeStatus status);

    /** The live volumes whose data is under another volume's name ({@code _name_id}, after a migration). */
    List<VolumeEntity> findByNameIdAndDeletedFalse(String nameId);

    /** A group's live volumes. */
    List<VolumeEntity> findByGroupIdAndDeletedFalse(String groupId);

    long countByVolumeTypeIdAndDeletedFalse(String volumeTypeId);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.status = :to, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status in :from")
    int compareAndSetStatus(@Param("id") String id, @Param("from") Collection<VolumeStatus> from,
                            @Param("to") VolumeStatus to, @Param("now") LocalDateTime now);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.status = :to, v.statusReason = :reason, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status in :from")
    int compareAndSetStatusWithReason(@Param("id") String id, @Param("from") Collection<VolumeStatus> from,
                                      @Param("to") VolumeStatus to, @Param("reason") String reason,
                                      @Param("now") LocalDateTime now);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.host = :host, v.serviceUuid = :serviceUuid, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status = :status and v.host is null")
    int assignHost(@Param("id") String id, @Param("status") VolumeStatus status, @Param("host") String host,
                   @Param("serviceUuid") String serviceUuid, @Param("now") LocalDateTime now);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.status = AVAILABLE, v.providerLocation = :location, "
            + "v.launchedAt = :now, v.updatedAt = :now, v.statusReason = null "
            + "where v.id = :id and v.deleted = false and v.status = CREATING")
    int markCreated(@Param("id") String id, @Param("location") String providerLocation,
                    @Param("now") LocalDateTime now);

    /** Cinder's delete precondition: a deletable status, nothing attached, no migration in flight. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.previousStatus = v.status, v.status = DELETING, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status in :deletable "
            + "and v.attachStatus = DETACHED and v.groupId is null "
            + "and " + NOT_MIGRATING)
    int markDeleting(@Param("id") String id, @Param("deletable") Collection<VolumeStatus> deletable,
                     @Param("now") LocalDateTime now);

    /** os-unmanage: the delete's precondition (Cinder's delete with unmanage_only), status unmanaging. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.previousStatus = v.status, v.status = UNMANAGING, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status in :deletable "
            + "and v.attachStatus = DETACHED and v.groupId is null "
            + "and " + NOT_MIGRATING)
    int markUnmanaging(@Param("id") String id, @Param("deletable") Collection<VolumeStatus> deletable,
                       @Param("now") LocalDateTime now);

    /** The scheduler's pool for a volume being managed (the API knew only the backend). */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.host = :host, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status = MANAGING")
    int setManagingHost(@Param("id") String id, @Param("host") String host, @Param("now") LocalDateTime now);

    /** The backend adopted the object: its size and location recorded, managing → available. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.status = AVAILABLE, v.size = :size, v.providerLocation = :location, "
            + "v.launchedAt = :now, v.updatedAt = :now, v.statusReason = null "
            + "where v.id = :id and v.deleted = false and v.status = MANAGING")
    int markManaged(@Param("id") String id, @Param("size") int size, @Param("location") String providerLocation,
                    @Param("now") LocalDateTime now);

    /** The live volumes of one backend ({@code host@backend} or any of its pools). */
    @Query("select v from VolumeEntity v where v.deleted = false and (v.host = :backend or v.host like :pools)")
    List<VolumeEntity> liveOnBackend(@Param("backend") String serviceHost, @Param("pools") String poolPattern);

    boolean existsByIdAndDeletedFalse(String id);

    /**
     * Cinder's os-force_delete precondition: any status, but not attached and no migration in flight or left
     * to finish (a migration's temporary volume neither); the same change as {@link #markDeleting}.
     */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.previousStatus = v.status, v.status = DELETING, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.attachStatus <> ATTACHED and v.groupId is null "
            + "and " + MIGRATION_OVER)
    int markForceDeleting(@Param("id") String id, @Param("now") LocalDateTime now);

    /** os-set_bootable: Cinder's volume update of one field. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.bootable = :bootable, v.updatedAt = :now where v.id = :id "
            + "and v.deleted = false")
    int setBootable(@Param("id") String id, @Param("bootable") boolean bootable, @Param("now") LocalDateTime now);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.deleted = true, v.status = DELETED, v.deletedAt = :now, "
            + "v.terminatedAt = :now, v.updatedAt = :now where v.id = :id and v.deleted = false")
    int softDelete(@Param("id") String id, @Param("now") LocalDateTime now);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.displayName = :name, v.displayDescription = :description, "
            + "v.updatedAt = :now where v.id = :id and v.deleted = false")
    int updateNameAndDescription(@Param("id") String id, @Param("name") String name,
                                 @Param("description") String description, @Param("now") LocalDateTime now);

    /**
     * Cinder's migrate precondition and state change in one statement: available or in-use, no migration in
     * flight, not already on the destination, no snapshots; records the previous status and, with
     * {@code lock}, puts an available volume into maintenance.
     */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.migrationStatus = " + MS + "STARTING, v.previousStatus = v.status, "
            + "v.status = case when :lock = true and v.status = AVAILABLE then " + VS + "MAINTENANCE "
            + "else v.status end, "
            + "v.statusReason = null, v.updatedAt = :now "
            + "where " + MIGRATABLE)
    int startMigration(@Param("id") String id, @Param("destination") String destination,
                       @Param("lock") boolean lock, @Param("now") LocalDateTime now);

    /**
     * This project's {@code with_snapshots} form of {@link #startMigration}: the volume must be available
     * (detached: only the generic and native paths can move snapshots) and every snapshot of it available, so no
     * snapshot is being made or removed while the chain is copied.
     */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.migrationStatus = " + MS + "STARTING, v.previousStatus = v.status, "
            + "v.status = case when :lock = true then " + VS + "MAINTENANCE else v.status end, "
            + "v.statusReason = null, v.updatedAt = :now "
            + "where " + MIGRATABLE_WITH_SNAPSHOTS)
    int startMigrationWithSnapshots(@Param("id") String id, @Param("destination") String destination,
                                    @Param("lock") boolean lock, @Param("now") LocalDateTime now);

    /**
     * The start of {@code os-migrate_volume_revert}: an available, detached volume whose last migration succeeded,
     * without snapshots (they live on the backend the revert leaves), goes into {@code maintenance} until the
     * volume service has swapped it back. Returns 0 when it is not in that state.
     */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.previousStatus = v.status, v.status = MAINTENANCE, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status = AVAILABLE and v.attachStatus = DETACHED "
            + "and v.migrationStatus = " + MS + "SUCCESS "
            + "and not exists (select s.id from SnapshotEntity s where s.volumeId = v.id and s.deleted = false)")
    int startRevert(@Param("id") String id, @Param("now") LocalDateTime now);

    /** The end of a revert that did not happen: the volume gets its status back. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.status = AVAILABLE, v.statusReason = :reason, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status = MAINTENANCE")
    int abandonRevert(@Param("id") String id, @Param("reason") String reason, @Param("now") LocalDateTime now);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.migrationStatus = :to, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.migrationStatus in :from")
    int compareAndSetMigrationStatus(@Param("id") String id, @Param("from") Collection<MigrationStatus> from,
                                     @Param("to") MigrationStatus to, @Param("now") LocalDateTime now);

    /**
     * Ends a migration that did not move the volume: {@code error} with the reason, and the status it had
     * before a lock ({@code maintenance}) is given back.
     */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.migrationStatus = " + MS + "ERROR, v.statusReason = :reason, "
            + "v.status = case when v.status in (MAINTENANCE, RETYPING) and v.previousStatus is not null "
            + "then v.previousStatus else v.status end, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.migrationStatus in :from")
    int failMigration(@Param("id") String id, @Param("from") Collection<MigrationStatus> from,
                      @Param("reason") String reason, @Param("now") LocalDateTime now);

    /** Ends a migration in which the driver moved the volume itself: same row, new host. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.host = :host, v.serviceUuid = :serviceUuid, "
            + "v.providerLocation = :location, v.migrationStatus = " + MS + "SUCCESS, "
            + "v.volumeTypeId = coalesce(:typeId, v.volumeTypeId), "
            + "v.status = case when v.status in (MAINTENANCE, RETYPING) and v.previousStatus is not null "
            + "then v.previousStatus else v.status end, v.statusReason = null, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.migrationStatus = " + MS + "MIGRATING")
    int finishMovedByDriver(@Param("id") String id, @Param("host") String host,
                            @Param("serviceUuid") String serviceUuid, @Param("location") String providerLocation,
                            @Param("typeId") String newTypeId, @Param("now") LocalDateTime now);

    java.util.List<VolumeEntity> findByHostStartingWithAndMigrationStatusInAndDeletedFalse(
            String hostPrefix, Collection<MigrationStatus> statuses);

    /** {@code os-reset_status}: an administrator's override, unconditional by design. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.status = coalesce(:status, v.status), "
            + "v.attachStatus = coalesce(:attach, v.attachStatus), "
            + "v.migrationStatus = case when :setMigration = true then :migration else v.migrationStatus end, "
            + "v.updatedAt = :now where v.id = :id and v.deleted = false")
    int resetStatus(@Param("id") String id, @Param("status") VolumeStatus status,
                    @Param("attach") AttachStatus attachStatus,
                    @Param("setMigration") boolean setMigration, @Param("migration") MigrationStatus migrationStatus,
                    @Param("now") LocalDateTime now);

    /** Marks a volume attached (legacy os-attach): in-use, attach_status attached. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.status = IN_USE, v.attachStatus = ATTACHED, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status in :from")
    int markAttached(@Param("id") String id, @Param("from") Collection<VolumeStatus> from,
                     @Param("now") LocalDateTime now);

    /**
     * After the last attachment is gone: detached, and available unless a migration is in flight (Cinder's
     * {@code volume_detached} leaves the status alone then; the completion sets it).
     */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.attachStatus = DETACHED, "
            + "v.status = case when v.migrationStatus in (" + MS + "STARTING, " + MS + "MIGRATING, " + MS
            + "COMPLETING) then v.status else " + VS + "AVAILABLE end, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false")
    int markDetached(@Param("id") String id, @Param("now") LocalDateTime now);

    /** Cinder's retype precondition: available or in-use, no migration in flight, a different type. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.previousStatus = v.status, v.status = RETYPING, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status in (AVAILABLE, IN_USE) "
            + "and " + MIGRATION_OVER + " "
            + "and v.volumeTypeId <> :typeId")
    int startRetype(@Param("id") String id, @Param("typeId") String newTypeId, @Param("now") LocalDateTime now);

    /** Ends a retype: the new type (or the old one when {@code typeId} is null) and the status before it. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.volumeTypeId = coalesce(:typeId, v.volumeTypeId), "
            + "v.status = coalesce(v.previousStatus, " + VS + "AVAILABLE), v.statusReason = :reason, "
            + "v.updatedAt = :now where v.id = :id and v.deleted = false and v.status = RETYPING")
    int finishRetype(@Param("id") String id, @Param("typeId") String newTypeId, @Param("reason") String reason,
                     @Param("now") LocalDateTime now);

    /** A retype that needs a migration: the migration starts from the retyping state. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.migrationStatus = " + MS + "STARTING, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status = RETYPING "
            + "and " + MIGRATION_OVER)
    int startRetypeMigration(@Param("id") String id, @Param("now") LocalDateTime now);

    /**
     * Cinder's extend precondition and state change in one statement: one of {@code from} (available; in-use
     * too from 3.42), no migration in flight (a migration copies the old size), and a larger size.
     */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.previousStatus = v.status, v.status = EXTENDING, v.statusReason = null, "
            + "v.updatedAt = :now where v.id = :id and v.deleted = false and v.status in :from "
            + "and v.size < :newSize "
            + "and " + NOT_MIGRATING)
    int startExtend(@Param("id") String id, @Param("newSize") int newSize,
                    @Param("from") Collection<VolumeStatus> from, @Param("now") LocalDateTime now);

    /** The backend grew the volume: the new size, and the status it had before. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.size = :newSize, v.status = coalesce(v.previousStatus, " + VS
            + "AVAILABLE), v.previousStatus = EXTENDING, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status = EXTENDING")
    int finishExtend(@Param("id") String id, @Param("newSize") int newSize, @Param("now") LocalDateTime now);

    /** Live snapshots of a volume (the snapshots' repository is not every service's; this query is). */
    @Query("select count(s) from SnapshotEntity s where s.volumeId = :id and s.deleted = false")
    long countLiveSnapshots(@Param("id") String id);

    /** The backend of the volume a snapshot was taken of (where a volume made from it must be placed). */
    @Query("select v.host from VolumeEntity v, SnapshotEntity s where s.id = :snapshotId and v.id = s.volumeId")
    java.util.Optional<String> hostOfSnapshot(@Param("snapshotId") String snapshotId);
}
