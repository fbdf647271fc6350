package org.openstack.jcinder.api.messages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.ListQuery;
import org.openstack.jcinder.common.db.MessageEntity;

/**
 * The query of {@code GET /messages} as Cinder reads it: from 3.5 marker, limit, offset, sort and column filters
 * (the shared {@link ListQuery}; a filter on a column messages do not have matches nothing); from 3.33 a
 * non-admin may filter only on the configured message filters.
 */
record MessageListQuery(ListQuery<MessageEntity> query, boolean paged) {

    /** Cinder's resource_filters.json entry for messages. */
    static final List<String> ALLOWED_FILTERS = List.of("resource_uuid", "resource_type", "event_id", "request_id",
            "message_level");

    /** The columns of Cinder's Message model: what may be sorted or filtered on. */
    private static final Map<String, Function<MessageEntity, Object>> COLUMNS = columns();

    private static Map<String, Function<MessageEntity, Object>> columns() {
        Map<String, Function<MessageEntity, Object>> m = new LinkedHashMap<>();
        m.put("id", MessageEntity::getId);
        m.put("project_id", MessageEntity::getProjectId);
        m.put("request_id", MessageEntity::getRequestId);
        m.put("resource_type", MessageEntity::getResourceType);
        m.put("resource_uuid", MessageEntity::getResourceUuid);
        m.put("event_id", MessageEntity::getEventId);
        m.put("detail_id", MessageEntity::getDetailId);
        m.put("action_id", MessageEntity::getActionId);
        m.put("message_level", MessageEntity::getMessageLevel);
        m.put("created_at", MessageEntity::getCreatedAt);
        m.put("updated_at", MessageEntity::getUpdatedAt);
        m.put("deleted_at", MessageEntity::getDeletedAt);
        m.put("deleted", MessageEntity::isDeleted);
        m.put("expires_at", MessageEntity::getExpiresAt);
        return Map.copyOf(m);
    }

    static MessageListQuery parse(ApiRequest req, boolean admin, Map<String, String> raw, int maxLimit) {
        if (!req.version().atLeast(5)) {
            // Before 3.5 Cinder ignores every query parameter of this list.
            ListQuery<MessageEntity> all = ListQuery.parse(Map.of(), COLUMNS, Integer.MAX_VALUE);
            return new MessageListQuery(all, false);
        }
        ListQuery<MessageEntity> q = ListQuery.parse(raw, COLUMNS, maxLimit);
        Map<String, String> filters = new LinkedHashMap<>(q.filters());
        if (req.version().atLeast(33)) {
            ListQuery.rejectInvalidFilters(admin, filters, ALLOWED_FILTERS, req.version().atLeast(34));
        }
        return new MessageListQuery(q.withFilters(filters), true);
    }

    int limit() {
        return query.limit();
    }

    /** The page: filtered, sorted, after the marker and offset, at most {@code limit}. */
    List<MessageEntity> apply(List<MessageEntity> rows) {
        for (String key : query.filters().keySet()) {
            if (!COLUMNS.containsKey(key.endsWith("~") ? key.substring(0, key.length() - 1) : key)) {
                return List.of(); // Cinder's is_valid_model_filters: an unknown column yields no result
            }
        }
        return query.page(rows.stream().filter(this::matches).toList(), MessageEntity::getId,
                "Message " + query.marker() + " could not be found.");
    }

    private boolean matches(MessageEntity m) {
        for (Map.Entry<String, String> f : query.filters().entrySet()) {
            boolean like = f.getKey().endsWith("~");
            String column = like ? f.getKey().substring(0, f.getKey().length() - 1) : f.getKey();
            Object value = COLUMNS.get(column).apply(m);
            String text = value == null ? null : value.toString();
            if (like ? text == null || !text.contains(f.getValue()) : !f.getValue().equals(text)) {
                return false;
            }
        }
        return true;
    }
}
