package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

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

    Optional<VolumeEntity> findByIdAndDeletedFalse(String id);

    List<VolumeEntity> findByHostStartingWithAndDeletedFalse(String hostPrefix);

    long countByVolumeTypeIdAndDeletedFalse(String volumeTypeId);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.status = :to, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status in :from")
    int compareAndSetStatus(@Param("id") String id, @Param("from") Collection<String> from,
                            @Param("to") String to, @Param("now") LocalDateTime now);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.status = :to, v.statusReason = :reason, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status in :from")
    int compareAndSetStatusWithReason(@Param("id") String id, @Param("from") Collection<String> from,
                                      @Param("to") String to, @Param("reason") String reason,
                                      @Param("now") LocalDateTime now);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.host = :host, v.serviceUuid = :serviceUuid, v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status = :status and v.host is null")
    int assignHost(@Param("id") String id, @Param("status") String status, @Param("host") String host,
                   @Param("serviceUuid") String serviceUuid, @Param("now") LocalDateTime now);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.status = 'available', v.providerLocation = :location, "
            + "v.launchedAt = :now, v.updatedAt = :now, v.statusReason = null "
            + "where v.id = :id and v.deleted = false and v.status = 'creating'")
    int markCreated(@Param("id") String id, @Param("location") String providerLocation,
                    @Param("now") LocalDateTime now);

    /** Cinder's delete precondition: a deletable status, nothing attached, no migration in flight. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.previousStatus = v.status, v.status = 'deleting', v.updatedAt = :now "
            + "where v.id = :id and v.deleted = false and v.status in :deletable "
            + "and v.attachStatus = 'detached' "
            + "and (v.migrationStatus is null or v.migrationStatus not in ('migrating', 'starting', 'completing'))")
    int markDeleting(@Param("id") String id, @Param("deletable") Collection<String> deletable,
                     @Param("now") LocalDateTime now);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.deleted = true, v.status = 'deleted', v.deletedAt = :now, "
            + "v.terminatedAt = :now, v.updatedAt = :now where v.id = :id and v.deleted = false")
    int softDelete(@Param("id") String id, @Param("now") LocalDateTime now);

    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.displayName = :name, v.displayDescription = :description, "
            + "v.updatedAt = :now where v.id = :id and v.deleted = false")
    int updateNameAndDescription(@Param("id") String id, @Param("name") String name,
                                 @Param("description") String description, @Param("now") LocalDateTime now);
}
