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

public interface GroupRepository extends JpaRepository<GroupEntity, String> {

    Optional<GroupEntity> findByIdAndDeletedFalse(String id);

    List<GroupEntity> findByDeletedFalse();

    List<GroupEntity> findByProjectIdAndDeletedFalse(String projectId);

    /** Live groups that may hold volumes of a type: such a type is in use (Cinder's volume_type_destroy). */
    @Query(value = "select count(*) from group_volume_type_mapping m join volume_groups g on g.id = m.group_id "
            + "where m.volume_type_id = ?1 and g.deleted = false", nativeQuery = true)
    long countLiveGroupsWithVolumeType(String volumeTypeId);

    /** Cinder's conditional update: the status moves only from one of {@code expected}. */
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Transactional
    @Query("update GroupEntity g set g.status = :status, g.updatedAt = :now "
            + "where g.id = :id and g.deleted = false and g.status in :expected")
    int compareAndSetStatus(@Param("id") String id, @Param("expected") Collection<String> expected,
                            @Param("status") String status, @Param("now") LocalDateTime now);
}
