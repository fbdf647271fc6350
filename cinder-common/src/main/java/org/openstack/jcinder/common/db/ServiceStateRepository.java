package org.openstack.jcinder.common.db;

import java.util.Collection;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * The operator's switches on a service row (disabled and its reason, frozen), written column by column so a
 * heartbeat landing at the same moment neither loses them nor is lost.
 */
public interface ServiceStateRepository extends Repository<ServiceEntity, Long> {

    /** Enables or disables; a null {@code reason} keeps the recorded one (as Cinder's enable does). */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update ServiceEntity s set s.disabled = :disabled, "
            + "s.disabledReason = coalesce(:reason, s.disabledReason) where s.id = :id")
    int setDisabled(@Param("id") Long id, @Param("disabled") boolean disabled, @Param("reason") String reason);

    /** Cinder's conditional update of {@code frozen}: only rows still at {@code expected} change. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update ServiceEntity s set s.frozen = :to where s.id in :ids and s.frozen = :expected")
    int setFrozen(@Param("ids") Collection<Long> ids, @Param("expected") boolean expected, @Param("to") boolean to);
}
