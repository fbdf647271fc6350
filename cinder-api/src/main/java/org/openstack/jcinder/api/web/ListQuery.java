package org.openstack.jcinder.api.web;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;
import org.openstack.jcinder.common.exception.NotFoundException;

/**
 * Cinder's paginated list parameters over the columns of one model, read and checked as its
 * {@code api/common.py} ({@code get_pagination_params}: marker, {@link Paging#limit limit},
 * {@link Paging#offset offset}; {@code get_sort_params}: {@code sort} or {@code sort_key}/{@code sort_dir}) and
 * its {@code process_sort_params} (directions, then {@code created_at} and {@code id} appended, a key the model
 * lacks refused). The parameters that are left are the caller's filters. Every list of this API reads its query
 * here, so a bad {@code limit} or {@code sort} is refused with the same message everywhere.
 */
public record ListQuery<T>(Map<String, String> filters, Comparator<T> order, String marker, int limit, int offset) {

    public static <T> ListQuery<T> parse(Map<String, String> raw, Map<String, Function<T, Object>> columns, int maxLimit) {
        Map<String, String> params = new LinkedHashMap<>(raw);
        String marker = params.remove("marker");
        int limit = Paging.limit(params, maxLimit);
        params.remove("limit");
        int offset = Paging.offset(params);
        params.remove("offset");
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
        String defaultDir = dirs.isEmpty() ? "desc" : dirs.get(0);
        List<String> allKeys = new ArrayList<>(keys);
        List<String> allDirs = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            allDirs.add(i < dirs.size() ? dirs.get(i) : defaultDir);
        }
        for (String k : List.of("created_at", "id")) {
            if (!keys.contains(k)) {
                allKeys.add(k);
                allDirs.add(defaultDir);
            }
        }
        Comparator<T> order = null;
        for (int i = 0; i < allKeys.size(); i++) {
            Comparator<T> one = comparator(columns, allKeys.get(i), allDirs.get(i));
            order = order == null ? one : order.thenComparing(one);
        }
        return new ListQuery<>(params, order, marker, limit, offset);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Comparator<T> comparator(Map<String, Function<T, Object>> columns, String column,
                                                String dir) {
        if (!dir.equals("asc") && !dir.equals("desc")) {
            throw new InvalidInputException("Unknown sort direction, must be 'desc' or 'asc'.");
        }
        Function<T, Object> get = columns.get(column);
        if (get == null) {
            throw new InvalidInputException("Invalid sort key");
        }
        Comparator<T> c = Comparator.comparing(t -> (Comparable) normalise(get.apply(t)),
                Comparator.nullsFirst(Comparator.naturalOrder()));
        return dir.equals("asc") ? c : c.reversed();
    }

    private static Object normalise(Object v) {
        return v instanceof LocalDateTime || v instanceof Boolean || v == null ? v : v.toString();
    }

    /** The same query in another order (a list whose order Cinder fixes before a microversion). */
    public ListQuery<T> withOrder(Comparator<T> newOrder) {
        return new ListQuery<>(filters, newOrder, marker, limit, offset);
    }

    /** The same query with other filters (what is left after the caller took its own keys out). */
    public ListQuery<T> withFilters(Map<String, String> newFilters) {
        return new ListQuery<>(Map.copyOf(newFilters), order, marker, limit, offset);
    }

    /** One page and whether rows follow it (for a {@code next} link). */
    public record Page<T>(List<T> items, boolean more) {
    }

    /** Sorted, after the marker (whose absence is {@code markerMissing}) and offset, at most {@code limit}. */
    public List<T> page(List<T> rows, Function<T, String> id, String markerMissing) {
        return pageOf(rows, id, markerMissing).items();
    }

    /** {@link #page}, telling whether rows follow the page. */
    public Page<T> pageOf(List<T> rows, Function<T, String> id, String markerMissing) {
        List<T> out = new ArrayList<>(rows);
        out.sort(order);
        int start = 0;
        if (marker != null) {
            start = -1;
            for (int i = 0; i < out.size(); i++) {
                if (id.apply(out.get(i)).equals(marker)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw new NotFoundException(markerMissing);
            }
        }
        start = (int) Math.min((long) start + offset, out.size());
        int end = (int) Math.min((long) start + limit, out.size());
        return new Page<>(List.copyOf(out.subList(start, end)), end < out.size());
    }

    /**
     * Cinder's {@code reject_invalid_filters}: filter keys are ASCII; an admin may filter on anything, anyone
     * else only on the resource's configured filters ({@code resource_filters.json}; with {@code likeAllowed},
     * 3.34, {@code key} also where {@code key~} is configured). {@code all_tenants} from a non-admin is dropped
     * rather than refused, as cinderclient always sends it.
     */
    public static void rejectInvalidFilters(boolean admin, Map<String, String> filters, List<String> allowed,
                                            boolean likeAllowed) {
        for (String key : filters.keySet()) {
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(key)) {
                throw new CinderException(400, "Filter keys can only contain ASCII characters.");
            }
        }
        if (admin) {
            return;
        }
        filters.remove("all_tenants");
        List<String> invalid = filters.keySet().stream()
                .filter(k -> !allowed.contains(k) && !(likeAllowed && allowed.contains(k + "~")))
                .toList();
        if (!invalid.isEmpty()) {
            throw new CinderException(400, "Invalid filters " + String.join(",", invalid)
                    + " are found in query options.");
        }
    }
}
