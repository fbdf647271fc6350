package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

public interface MessageRepository extends JpaRepository<MessageEntity, String> {

    Optional<MessageEntity> findByIdAndDeletedFalse(String id);

    List<MessageEntity> findByDeletedFalse();

    List<MessageEntity> findByProjectIdAndDeletedFalse(String projectId);

    /** Cinder's {@code message_destroy}: a soft delete. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update MessageEntity m set m.deleted = true, m.deletedAt = :now where m.id = :id and m.deleted = false")
    int softDelete(@Param("id") String id, @Param("now") LocalDateTime now);

    /** Cinder's {@code cleanup_expired_messages}: expired rows are removed outright. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("delete from MessageEntity m where m.expiresAt < :now")
    int deleteExpired(@Param("now") LocalDateTime now);
}
