package org.openstack.jcinder.api.messages;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.Paging;
import org.openstack.jcinder.common.db.MessageEntity;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;

/**
 * The query of {@code GET /messages} as Cinder reads it: from 3.5 marker, limit, offset, sort and column filters
 * (a filter on a column messages do not have matches nothing); from 3.33 a non-admin may filter only on the
 * configured message filters. Sorting ends with {@code created_at} and {@code id}, as Cinder's.
 */
record MessageListQuery(Map<String, String> filters, List<SortKey> sort, String marker, int limit, int offset,
                        boolean paged) {

    record SortKey(String column, boolean ascending) {
    }

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
            return new MessageListQuery(Map.of(), defaultSort(List.of(), List.of()), null, Integer.MAX_VALUE, 0,
                    false);
        }
        Map<String, String> params = new LinkedHashMap<>(raw);
        String marker = params.remove("marker");
        int limit = Paging.limit(params, maxLimit);
        params.remove("limit");
        int offset = Paging.offset(params);
        params.remove("offset");
        List<SortKey> sort = sort(params);
        if (req.version().atLeast(33)) {
            rejectInvalidFilters(admin, params, req.version().atLeast(34));
        }
        return new MessageListQuery(Map.copyOf(params), sort, marker, limit, offset, true);
    }

    /** Cinder's {@code get_sort_params} then {@code process_sort_params}. */
    private static List<SortKey> sort(Map<String, String> params) {
        if (params.containsKey("sort") && (params.containsKey("sort_key") || params.containsKey("sort_dir"))) {
            throw new CinderException(400, "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be "
                    + "used with the 'sort' parameter.");
        }
        List<String> keys = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        if (params.containsKey("sort")) {
            for (String item : params.remove("sort").strip().split(",", -1)) {
                int colon = item.indexOf(':');
                keys.add((colon < 0 ? item : item.substring(0, colon)).strip());
                dirs.add(colon < 0 || item.substring(colon + 1).isBlank() ? "desc" : item.substring(colon + 1).strip());
            }
        } else {
            if (params.containsKey("sort_key")) {
                keys.add(params.remove("sort_key").strip());
            }
            if (params.containsKey("sort_dir")) {
                dirs.add(params.remove("sort_dir").strip());
            }
        }
        return defaultSort(keys, dirs);
    }

    private static List<SortKey> defaultSort(List<String> keys, List<String> dirs) {
        List<SortKey> out = new ArrayList<>();
        String defaultDir = dirs.isEmpty() ? "desc" : dirs.get(0);
        for (int i = 0; i < keys.size(); i++) {
            out.add(key(keys.get(i), i < dirs.size() ? dirs.get(i) : defaultDir));
        }
        for (String k : List.of("created_at", "id")) {
            if (!keys.contains(k)) {
                out.add(key(k, defaultDir));
            }
        }
        return List.copyOf(out);
    }

    private static SortKey key(String column, String dir) {
        if (!dir.equals("asc") && !dir.equals("desc")) {
            throw new InvalidInputException("Unknown sort direction, must be 'desc' or 'asc'.");
        }
        if (!COLUMNS.containsKey(column)) {
            throw new InvalidInputException("Invalid sort key");
        }
        return new SortKey(column, dir.equals("asc"));
    }

    /** Cinder's {@code reject_invalid_filters} for the "message" resource. */
    private static void rejectInvalidFilters(boolean admin, Map<String, String> params, boolean likeAllowed) {
        for (String key : params.keySet()) {
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(key)) {
                throw new CinderException(400, "Filter keys can only contain ASCII characters.");
            }
        }
        if (admin) {
            return;
        }
        params.remove("all_tenants"); // cinderclient always sends it; Cinder ignores it for non-admins
        List<String> invalid = params.keySet().stream()
                .filter(k -> !ALLOWED_FILTERS.contains(k) && !(likeAllowed && ALLOWED_FILTERS.contains(k + "~")))
                .toList();
        if (!invalid.isEmpty()) {
            throw new CinderException(400, "Invalid filters " + String.join(",", invalid)
                    + " are found in query options.");
        }
    }

    /** The page: filtered, sorted, after the marker and offset, at most {@code limit}. */
    List<MessageEntity> apply(List<MessageEntity> rows) {
        for (String key : filters.keySet()) {
            if (!COLUMNS.containsKey(key.endsWith("~") ? key.substring(0, key.length() - 1) : key)) {
                return List.of(); // Cinder's is_valid_model_filters: an unknown column yields no result
            }
        }
        List<MessageEntity> out = new ArrayList<>(rows.stream().filter(this::matches).toList());
        out.sort(comparator());
        int start = 0;
        if (marker != null) {
            start = -1;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).getId().equals(marker)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw new org.openstack.jcinder.common.exception.NotFoundException("Message " + marker
                        + " could not be found.");
            }
        }
        start = (int) Math.min((long) start + offset, out.size());
        int end = (int) Math.min((long) start + limit, out.size());
        return List.copyOf(out.subList(start, end));
    }

    private boolean matches(MessageEntity m) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Comparator<MessageEntity> comparator() {
        Comparator<MessageEntity> c = null;
        for (SortKey k : sort) {
            Function<MessageEntity, Object> get = COLUMNS.get(k.column());
            Comparator<MessageEntity> one = Comparator.comparing(m -> (Comparable) normalise(get.apply(m)),
                    Comparator.nullsFirst(Comparator.naturalOrder()));
            if (!k.ascending()) {
                one = one.reversed();
            }
            c = c == null ? one : c.thenComparing(one);
        }
        return c;
    }

    private static Object normalise(Object v) {
        return v instanceof LocalDateTime || v instanceof Boolean || v == null ? v : v.toString();
    }
}
