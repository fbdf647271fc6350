package org.openstack.jcinder.api.summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.LinkedHashMap;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumePolicies;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.UsageRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cinder's {@code GET /volumes/summary} (3.12+): count and total size of the caller's volumes (every project's for
 * an admin asking {@code all_tenants}), and from 3.36 every distinct metadata value by key. Other query
 * parameters do not narrow it, as in Cinder.
 */
@RestController
public class VolumeSummaryController {

    /** Cinder's VOLUME_SUMMARY and VOLUME_SUMMARY_METADATA microversions. */
    private static final int VOLUME_SUMMARY = 12;
    private static final int VOLUME_SUMMARY_METADATA = 36;

    private final UsageRepository usage;
    private final PolicyEnforcer policy;

    public VolumeSummaryController(UsageRepository usage, PolicyEnforcer policy) {
        this.usage = usage;
        this.policy = policy;
    }

    @GetMapping({"/v3/{projectId}/volumes/summary", "/v3/volumes/summary"})
    public Map<String, Object> summary(ApiRequest req, @RequestParam Map<String, String> params) {
        if (!req.version().atLeast(VOLUME_SUMMARY)) {
            // Below 3.12 Cinder takes "summary" for a volume id.
            throw new NotFoundException("Volume summary could not be found.");
        }
        policy.authorize(req, VolumePolicies.GET_ALL);
        boolean allProjects = allTenants(params.get("all_tenants")) && policy.isAdmin(req);
        Object[] totals = usage.volumeTotals(allProjects, req.projectId()).get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total_count", ((Number) totals[0]).longValue());
        out.put("total_size", ((Number) totals[1]).longValue());
        if (req.version().atLeast(VOLUME_SUMMARY_METADATA)) {
            Map<String, List<String>> metadata = new TreeMap<>();
            for (Object[] row : usage.distinctMetadata(allProjects, req.projectId())) {
                metadata.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((String) row[1]);
            }
            out.put("metadata", metadata);
        }
        return Map.of("volume-summary", out);
    }

    /** Cinder's {@code get_bool_param}: absent is false; anything but an oslo boolean string is refused. */
    private static boolean allTenants(String value) {
        if (value == null) {
            return false;
        }
        switch (value.strip().toLowerCase()) {
            case "1", "t", "true", "on", "y", "yes":
                return true;
            case "0", "f", "false", "off", "n", "no":
                return false;
            default:
                throw new CinderException(400, "Value '" + value + "' for 'all_tenants' is not a boolean.");
        }
    }
}
