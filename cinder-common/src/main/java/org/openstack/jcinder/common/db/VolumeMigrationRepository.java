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

    /** A backend's latest successful migrations, newest first: the dry-run's estimate of a copy's duration. */
    List<VolumeMigrationEntity> findTop20BySourceHostStartingWithAndStateOrderByCreatedAtDesc(String hostPrefix,
                                                                                             MigrationPhase state);

    /** Kept old copies whose rollback window ended before {@code now}. */
    @Query("select m from VolumeMigrationEntity m where m.sourceState = '" + VolumeMigrationEntity.SOURCE_KEPT
            + "' and m.keptSourceUntil < :now")
    List<VolumeMigrationEntity> findExpiredKeptSources(@Param("now") LocalDateTime now);

    /**
     * Moves the kept copy's state from {@code from} to {@code to}; with {@code withinWindow} only while the window
     * is open (a revert), else only once it has ended (the expiry), so of a revert and the expiry racing exactly
     * one wins. Returns 0 when the state or the window did not allow it.
     */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeMigrationEntity m set m.sourceState = :to, m.updatedAt = :now where m.id = :id "
            + "and m.sourceState = :from and ((:withinWindow = true and m.keptSourceUntil > :now) "
            + "or (:withinWindow = false and m.keptSourceUntil <= :now))")
    int moveKeptSource(@Param("id") String id, @Param("from") String from, @Param("to") String to,
                       @Param("withinWindow") boolean withinWindow, @Param("now") LocalDateTime now);

    /** Sets the kept copy's state whatever the window (the end of a revert, or its failure). */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update VolumeMigrationEntity m set m.sourceState = :to, m.updatedAt = :now where m.id = :id "
            + "and m.sourceState = :from")
    int setKeptSourceState(@Param("id") String id, @Param("from") String from, @Param("to") String to,
                           @Param("now") LocalDateTime now);
}
