package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Open transfers. A transfer whose volume is gone counts as gone too (Cinder soft deletes a volume's transfers
 * with the volume), hence the join on a live volume in every read.
 */
public interface TransferRepository extends JpaRepository<TransferEntity, String> {

    String LIVE = "t.deleted = false and exists (select 1 from VolumeEntity v where v.id = t.volumeId "
            + "and v.deleted = false";

    /** Any project's open transfer (an administrator's view, and the accept, which comes from another project). */
    @Query("select t from TransferEntity t where t.id = :id and " + LIVE + ")")
    Optional<TransferEntity> findOpen(@Param("id") String id);

    /** An open transfer of a volume the project owns now (Cinder's non-admin transfer_get). */
    @Query("select t from TransferEntity t where t.id = :id and " + LIVE + " and v.projectId = :project)")
    Optional<TransferEntity> findOpenInProject(@Param("id") String id, @Param("project") String projectId);

    @Query("select t from TransferEntity t where " + LIVE + ")")
    List<TransferEntity> findAllOpen();

    @Query("select t from TransferEntity t where " + LIVE + " and v.projectId = :project)")
    List<TransferEntity> findAllOpenInProject(@Param("project") String projectId);

    /** Statuses of the volume's snapshots that are not {@code available} (Cinder's create refuses those). */
    @Query("select s.id from SnapshotEntity s where s.volumeId = :volume and s.deleted = false "
            + "and s.status <> 'available' order by s.id")
    List<String> unavailableSnapshots(@Param("volume") String volumeId);

    /** The accept's or the delete's end of the offer: soft deleted, with who took it when accepted. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update TransferEntity t set t.deleted = true, t.deletedAt = :now, t.accepted = :accepted, "
            + "t.destinationProjectId = :destination where t.id = :id and t.deleted = false")
    int close(@Param("id") String id, @Param("accepted") boolean accepted,
              @Param("destination") String destinationProjectId, @Param("now") LocalDateTime now);

    /** Cinder's transfer_accept on the volume: the new owner, back to available, only from awaiting-transfer. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeEntity v set v.status = AVAILABLE, v.projectId = :project, v.userId = :user, "
            + "v.updatedAt = :now where v.id = :id and v.deleted = false and v.status = AWAITING_TRANSFER")
    int giveVolume(@Param("id") String volumeId, @Param("project") String projectId, @Param("user") String userId,
                   @Param("now") LocalDateTime now);

    /** The volume's live snapshots (an accept without {@code no_snapshots} moves them with it). */
    @Query("select s from SnapshotEntity s where s.volumeId = :volume and s.deleted = false order by s.id")
    List<SnapshotEntity> snapshotsOf(@Param("volume") String volumeId);

    /** Cinder's transfer_accept on the snapshots: the new owner, only for those still {@code available}. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update SnapshotEntity s set s.projectId = :project, s.userId = :user, s.updatedAt = :now "
            + "where s.volumeId = :volume and s.deleted = false and s.status = 'available'")
    int giveSnapshots(@Param("volume") String volumeId, @Param("project") String projectId,
                      @Param("user") String userId, @Param("now") LocalDateTime now);
}
