package org.openstack.jcinder.common.message;

import java.time.Duration;
import java.util.UUID;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderOptions;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.MessageEntity;
import org.openstack.jcinder.common.db.MessageRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Cinder's {@code message.api.API}: writes a user message where an asynchronous request fails (scheduler, volume
 * service), so the project sees why without reading logs, and reaps expired ones. Writing never fails the
 * caller: a message that cannot be stored is logged and dropped, as in Cinder.
 */
@Component
public class UserMessages {

    /** Cinder's {@code message_field.Resource.VOLUME}. */
    public static final String VOLUME = "VOLUME";

    private static final Logger LOG = LoggerFactory.getLogger(UserMessages.class);

    private final MessageRepository messages;
    private final Duration ttl;

    public UserMessages(MessageRepository messages, CinderConfig config) {
        this.messages = messages;
        this.ttl = Duration.ofSeconds(CinderOptions.MESSAGE_TTL.get(config.file()));
    }

    /** An ERROR-level message about a volume of {@code projectId}. */
    public void volumeError(String requestId, String projectId, String volumeId, MessageAction action,
                            MessageDetail detail) {
        MessageEntity m = new MessageEntity();
        m.setId(UUID.randomUUID().toString());
        m.setProjectId(projectId);
        m.setRequestId(requestId);
        m.setResourceType(VOLUME);
        m.setResourceUuid(volumeId);
        m.setActionId(action.id());
        m.setDetailId(detail.id());
        m.setEventId("VOLUME_" + VOLUME + "_" + action.id() + "_" + detail.id());
        m.setMessageLevel("ERROR");
        m.setCreatedAt(Clock.now());
        m.setExpiresAt(m.getCreatedAt().plus(ttl));
        try {
            messages.save(m);
            LOG.info("User message {} ({}) for volume {} of project {}, request {}", m.getId(), m.getEventId(),
                    volumeId, projectId, requestId);
        } catch (RuntimeException e) {
            LOG.error("Failed to create message record for request_id {}: {}", requestId, e.toString());
        }
    }

    /** Cinder's {@code cleanup_expired_messages}; returns how many were deleted. */
    public int reapExpired() {
        int count = messages.deleteExpired(Clock.now());
        LOG.info("Deleted {} expired messages.", count);
        return count;
    }
}
