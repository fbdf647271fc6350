package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.openstack.jcinder.common.volume.MigrationPhase;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

public interface VolumeMigrationRepository extends JpaRepository<VolumeMigrationEntity, String> {

    Optional<VolumeMigrationEntity> findFirstByVolumeIdOrderByCreatedAtDesc(String volumeId);

    List<VolumeMigrationEntity> findByVolumeIdIn(Collection<String> volumeIds);

    /**
     * Progress reported from outside the volume service (the compute service copying an attached volume):
     * only raises {@code bytesCopied}, and only while the attempt is unfinished, so a late report can neither
     * move the figure backwards nor touch a migration that has ended. Returns 0 when nothing was updated.
     */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeMigrationEntity m set m.bytesCopied = case when m.bytesCopied > :copied then m.bytesCopied"
            + " else :copied end, m.state = :phase, m.copyStartedAt = coalesce(m.copyStartedAt, :now),"
            + " m.updatedAt = :now where m.id = :id and m.finishedAt is null")
    int raiseProgress(@Param("id") String id, @Param("copied") long copied, @Param("phase") MigrationPhase phase,
                      @Param("now") LocalDateTime now);

    /**
     * What an administrator wants of a copy running outside the volume service (a new limit, a cancel), for
     * it to pick up; only while the attempt is unfinished. A null limit leaves the limit as it is.
     */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeMigrationEntity m set m.bpsLimit = coalesce(:bps, m.bpsLimit),"
            + " m.cancelRequested = case when :cancel = true then true else m.cancelRequested end,"
            + " m.updatedAt = :now"
            + " where m.id = :id and m.finishedAt is null")
    int requestForCompute(@Param("id") String id, @Param("bps") Long bps, @Param("cancel") boolean cancel,
                          @Param("now") LocalDateTime now);

    /**
     * Where a queued migration stands in its backend's queue: 1 runs next. The backend is the source host up to
     * its pool ({@code host@backend}); {@code backendPrefix} is that followed by {@code #}, escaped for LIKE with
     * {@code !}.
     */
    @Query(value = "select count(*) from volume_migrations q where q.finished_at is null and q.state = 'queued'"
            + " and (q.source_host = :backend or q.source_host like :backendPrefix escape '!')"
            + " and q.queue_seq <= :seq", nativeQuery = true)
    long queuePosition(@Param("backend") String backend, @Param("backendPrefix") String backendPrefix,
                       @Param("seq") long seq);
}
