package org.openstack.jcinder.common.quota;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cinder's reserve / commit / rollback, by resource name, as counters on locked usage rows: {@link #reserve}
 * checks the limits and moves the amounts into {@code reserved}; {@link #commit} moves them to {@code in_use}
 * when the operation succeeded, {@link #rollback} gives them back when it failed; {@link #consume} is both at
 * once (a create whose row is written in the same transaction); {@link #release} is a delete. Each call locks
 * its rows for the rest of the caller's transaction, so the check and the change it guards are one step.
 * Volumes use it now (create, extend, delete, retype); snapshots (issue 11) reserve {@code snapshots},
 * {@code gigabytes} and the per-type pair the same way.
 */
@Service
public class QuotaReservations {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaReservations.class);

    private final QuotaStore store;
    private final QuotaLimits limits;

    public QuotaReservations(QuotaStore store, QuotaLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    /** Checks and reserves; {@link OverQuotaException} (nothing changed) when a limit would be passed. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void reserve(String projectId, Map<String, Integer> deltas) {
        Map<String, int[]> locked = lockChecked(projectId, deltas);
        deltas.forEach((r, d) -> store.addUsage(projectId, r, 0, d));
        LOG.info("Quota reserved for project {}: {} (before: {})", projectId, deltas, show(locked));
    }

    /** Checks and counts as in use at once. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void consume(String projectId, Map<String, Integer> deltas) {
        Map<String, int[]> locked = lockChecked(projectId, deltas);
        deltas.forEach((r, d) -> store.addUsage(projectId, r, d, 0));
        LOG.info("Quota consumed for project {}: {} (before: {})", projectId, deltas, show(locked));
    }

    @Transactional
    public void commit(String projectId, Map<String, Integer> deltas) {
        lock(projectId, deltas);
        deltas.forEach((r, d) -> store.addUsage(projectId, r, d, -d));
        LOG.info("Quota reservation committed for project {}: {}", projectId, deltas);
    }

    @Transactional
    public void rollback(String projectId, Map<String, Integer> deltas) {
        lock(projectId, deltas);
        deltas.forEach((r, d) -> store.addUsage(projectId, r, 0, -d));
        LOG.info("Quota reservation rolled back for project {}: {}", projectId, deltas);
    }

    /** What existed is gone: usage goes down (never below zero). */
    @Transactional
    public void release(String projectId, Map<String, Integer> deltas) {
        lock(projectId, deltas);
        deltas.forEach((r, d) -> store.addUsage(projectId, r, -d, 0));
        LOG.info("Quota released for project {}: {}", projectId, deltas);
    }

    /** Counts without a check (a change that already happened elsewhere, e.g. a retype's new type). */
    @Transactional
    public void add(String projectId, Map<String, Integer> deltas) {
        lock(projectId, deltas);
        deltas.forEach((r, d) -> store.addUsage(projectId, r, d, 0));
    }

    private Map<String, int[]> lock(String projectId, Map<String, Integer> deltas) {
        return store.lockUsages(projectId, deltas.keySet());
    }

    private Map<String, int[]> lockChecked(String projectId, Map<String, Integer> deltas) {
        Map<String, int[]> locked = lock(projectId, deltas);
        Map<String, Integer> quota = limits.forProject(projectId);
        List<String> overs = new ArrayList<>();
        Map<String, QuotaUsage> seen = new HashMap<>();
        deltas.forEach((r, d) -> {
            int limit = quota.getOrDefault(r, -1);
            int[] u = locked.get(r);
            seen.put(r, new QuotaUsage(limit, u[0], u[1]));
            if (d > 0 && limit >= 0 && limit < (long) u[0] + u[1] + d) {
                overs.add(r);
            }
        });
        if (!overs.isEmpty()) {
            Collections.sort(overs);
            LOG.warn("Quota exceeded for project {}: {} asked {}", projectId, overs, deltas);
            throw new OverQuotaException(overs, seen);
        }
        return locked;
    }

    private static String show(Map<String, int[]> locked) {
        Map<String, String> m = new java.util.TreeMap<>();
        locked.forEach((r, u) -> m.put(r, u[0] + "+" + u[1]));
        return m.toString();
    }
}
