package org.openstack.jcinder.api.groups;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openstack.jcinder.api.web.Paging;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;
import org.openstack.jcinder.common.exception.NotFoundException;

/**
 * Cinder's paginated list parameters (marker, limit, offset, {@code sort} or {@code sort_key}/{@code sort_dir})
 * over the columns of one model; sorting ends with {@code created_at} and {@code id}, as Cinder's
 * {@code process_sort_params}. The parameters that are left are the caller's filters.
 */
record ListQuery<T>(Map<String, String> filters, Comparator<T> order, String marker, int limit, int offset) {

    static <T> ListQuery<T> parse(Map<String, String> raw, Map<String, Function<T, Object>> columns, int maxLimit) {
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

    /** Sorted, after the marker (whose absence is {@code markerMissing}) and offset, at most {@code limit}. */
    List<T> page(List<T> rows, Function<T, String> id, String markerMissing) {
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
        return List.copyOf(out.subList(start, end));
    }
}
