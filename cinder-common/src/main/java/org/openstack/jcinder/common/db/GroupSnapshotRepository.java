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

public interface GroupSnapshotRepository extends JpaRepository<GroupSnapshotEntity, String> {

    Optional<GroupSnapshotEntity> findByIdAndDeletedFalse(String id);

    List<GroupSnapshotEntity> findByDeletedFalse();

    List<GroupSnapshotEntity> findByProjectIdAndDeletedFalse(String projectId);

    long countByGroupIdAndDeletedFalse(String groupId);

    /** Cinder's conditional update: the status moves only from one of {@code expected}. */
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Transactional
    @Query("update GroupSnapshotEntity g set g.status = :status, g.updatedAt = :now "
            + "where g.id = :id and g.deleted = false and g.status in :expected")
    int compareAndSetStatus(@Param("id") String id, @Param("expected") Collection<String> expected,
                            @Param("status") String status, @Param("now") LocalDateTime now);

    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Transactional
    @Query("update GroupSnapshotEntity g set g.deleted = true, g.deletedAt = :now, g.status = 'deleted', "
            + "g.updatedAt = :now where g.id = :id and g.deleted = false and g.status = 'deleting'")
    int softDeleteIfDeleting(@Param("id") String id, @Param("now") LocalDateTime now);
}
