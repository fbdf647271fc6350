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

public interface SnapshotRepository extends JpaRepository<SnapshotEntity, String> {

    long countByVolumeIdAndDeletedFalse(String volumeId);

    Optional<SnapshotEntity> findByIdAndDeletedFalse(String id);

    /** A volume's snapshots, oldest first (the order a migration copies its chain in). */
    List<SnapshotEntity> findByVolumeIdAndDeletedFalseOrderByCreatedAtAscIdAsc(String volumeId);

    /** A volume's snapshots, newest first (Cinder's {@code snapshot_get_latest_for_volume} takes the first). */
    List<SnapshotEntity> findByVolumeIdAndDeletedFalseOrderByCreatedAtDescIdDesc(String volumeId);

    List<SnapshotEntity> findByDeletedFalseOrderByCreatedAtDescIdDesc();

    /** The live members of a group snapshot. */
    List<SnapshotEntity> findByGroupSnapshotIdAndDeletedFalse(String groupSnapshotId);

    List<SnapshotEntity> findByProjectIdAndDeletedFalseOrderByCreatedAtDescIdDesc(String projectId);

    /** The live snapshots in {@code status} of the volumes on a backend ({@code host@backend#}). */
    @Query("select s from SnapshotEntity s where s.deleted = false and s.status = :status and s.volumeId in "
            + "(select v.id from VolumeEntity v where locate(:hostPrefix, v.host) = 1)")
    List<SnapshotEntity> findOnBackendInStatus(@Param("hostPrefix") String hostPrefix, @Param("status") String status);

    /** Cinder's conditional update: the status moves only from one of {@code expected}. */
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Transactional
    @Query("update SnapshotEntity s set s.status = :status, s.updatedAt = :now "
            + "where s.id = :id and s.deleted = false and s.status in :expected")
    int compareAndSetStatus(@Param("id") String id, @Param("expected") Collection<String> expected,
                            @Param("status") String status, @Param("now") LocalDateTime now);

    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Transactional
    @Query("update SnapshotEntity s set s.status = :status, s.progress = :progress, s.updatedAt = :now "
            + "where s.id = :id and s.deleted = false")
    int setStatus(@Param("id") String id, @Param("status") String status, @Param("progress") String progress,
                  @Param("now") LocalDateTime now);

    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Transactional
    @Query("update SnapshotEntity s set s.status = 'available', s.progress = '100%', s.providerLocation = :loc, "
            + "s.updatedAt = :now where s.id = :id and s.deleted = false and s.status = 'creating'")
    int markCreated(@Param("id") String id, @Param("loc") String location, @Param("now") LocalDateTime now);

    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Transactional
    @Query("update SnapshotEntity s set s.deleted = true, s.deletedAt = :now, s.status = 'deleted', "
            + "s.updatedAt = :now where s.id = :id and s.deleted = false")
    int softDelete(@Param("id") String id, @Param("now") LocalDateTime now);

    /** A managed snapshot's backend object adopted: its size and location, creating → available. */
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Transactional
    @Query("update SnapshotEntity s set s.status = 'available', s.progress = '100%', s.providerLocation = :loc, "
            + "s.volumeSize = :size, s.updatedAt = :now where s.id = :id and s.deleted = false "
            + "and s.status = 'creating'")
    int markManaged(@Param("id") String id, @Param("size") int size, @Param("loc") String location,
                    @Param("now") LocalDateTime now);

    boolean existsByIdAndDeletedFalse(String id);
}
