package org.openstack.jcinder.api.messages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.MessageEntity;
import org.openstack.jcinder.common.db.MessageRepository;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.message.MessageDetail;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cinder's user messages API (3.3+): list, show and delete the messages the scheduler and the volume services
 * wrote when a request failed after it was accepted. A caller sees its own project's messages; an admin sees
 * every project's (Cinder's list shows every project to anyone, which this service does not repeat).
 */
@RestController
public class MessagesController {

    private static final Logger LOG = LoggerFactory.getLogger(MessagesController.class);
    /** Cinder's {@code MESSAGES} microversion. */
    private static final int MESSAGES = 3;

    private final MessageRepository messages;
    private final PolicyEnforcer policy;
    private final CinderConfig config;

    public MessagesController(MessageRepository messages, PolicyEnforcer policy, CinderConfig config) {
        this.messages = messages;
        this.policy = policy;
        this.config = config;
    }

    @GetMapping({"/v3/{projectId}/messages", "/v3/messages"})
    public Map<String, Object> list(ApiRequest req, @RequestParam Map<String, String> params) {
        requireVersion(req);
        policy.authorize(req, MessagePolicies.GET_ALL);
        MessageListQuery query = MessageListQuery.parse(req, policy.isAdmin(req), params, config.maxLimit());
        List<MessageEntity> rows = policy.isAdmin(req) ? messages.findByDeletedFalse()
                : messages.findByProjectIdAndDeletedFalse(req.projectId());
        List<MessageEntity> page = query.apply(rows);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messages", page.stream().map(m -> view(req, m)).toList());
        if (query.paged() && !page.isEmpty() && page.size() == query.limit()) {
            out.put("messages_links", List.of(Map.of("rel", "next", "href", req.v3Url() + "/messages?limit="
                    + query.limit() + "&marker=" + page.get(page.size() - 1).getId())));
        }
        return out;
    }

    @GetMapping({"/v3/{projectId}/messages/{messageId}", "/v3/messages/{messageId}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String messageId) {
        requireVersion(req);
        MessageEntity m = find(req, messageId);
        policy.authorize(req, MessagePolicies.GET, PolicyTarget.project(m.getProjectId()));
        return Map.of("message", view(req, m));
    }

    @DeleteMapping({"/v3/{projectId}/messages/{messageId}", "/v3/messages/{messageId}"})
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String messageId) {
        requireVersion(req);
        MessageEntity m = find(req, messageId);
        policy.authorize(req, MessagePolicies.DELETE, PolicyTarget.project(m.getProjectId()));
        messages.softDelete(m.getId(), Clock.now());
        LOG.info("Deleted message {} of project {} (request {})", m.getId(), m.getProjectId(),
                req.context().requestId());
        return ResponseEntity.noContent().build();
    }

    /** Below 3.3 the resource does not exist (Cinder answers a bare 404). */
    private static void requireVersion(ApiRequest req) {
        if (!req.version().atLeast(MESSAGES)) {
            throw new NotFoundException("The resource could not be found.");
        }
    }

    /** Cinder's project-scoped {@code message_get}: another project's message is not found. */
    private MessageEntity find(ApiRequest req, String id) {
        return messages.findByIdAndDeletedFalse(id)
                .filter(m -> policy.isAdmin(req) || m.getProjectId().equals(req.projectId()))
                .orElseThrow(() -> new NotFoundException("Message " + id + " could not be found."));
    }

    /** Cinder's message view; resource fields only when set. */
    static Map<String, Object> view(ApiRequest req, MessageEntity m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.getId());
        v.put("event_id", m.getEventId());
        v.put("user_message", MessageDetail.userMessage(m.getActionId(), m.getDetailId()));
        v.put("message_level", m.getMessageLevel());
        v.put("created_at", VolumeViews.time(m.getCreatedAt()));
        v.put("guaranteed_until", VolumeViews.time(m.getExpiresAt()));
        v.put("request_id", m.getRequestId());
        v.put("links", List.of(
                Map.of("rel", "self", "href", req.v3Url() + "/messages/" + m.getId()),
                Map.of("rel", "bookmark", "href", req.bookmarkUrl() + "/messages/" + m.getId())));
        if (m.getResourceType() != null && !m.getResourceType().isEmpty()) {
            v.put("resource_type", m.getResourceType());
        }
        if (m.getResourceUuid() != null && !m.getResourceUuid().isEmpty()) {
            v.put("resource_uuid", m.getResourceUuid());
        }
        return v;
    }
}
