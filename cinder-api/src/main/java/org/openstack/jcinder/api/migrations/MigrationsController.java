package org.openstack.jcinder.api.migrations;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.Paging;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.exception.InvalidInputException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import jakarta.persistence.EntityManager;

/**
 * This project's migration progress API, outside Cinder's volume views (whose schemas allow no extra field):
 * {@code GET /v3/{project}/volumes/{id}/migration}, the volume's latest migration attempt, running or ended;
 * {@code GET /v3/{project}/volume-migrations}, the attempts of all projects, newest first, filtered by
 * {@code volume_id} and {@code status} ({@code queued}, {@code running}, {@code success}, {@code error}), at
 * most {@code limit}. A queued attempt shows its {@code queue_position} in its backend's queue.
 */
@RestController
public class MigrationsController {

    private static final String QUEUED = "org.openstack.jcinder.common.volume.MigrationPhase.QUEUED";
    private static final Set<String> STATUSES = Set.of("queued", "running", "success", "error");

    private final VolumeApiService volumes;
    private final VolumeMigrationRepository migrations;
    private final PolicyEnforcer policy;
    private final EntityManager em;
    private final CinderConfig config;

    public MigrationsController(VolumeApiService volumes, VolumeMigrationRepository migrations,
                                PolicyEnforcer policy, EntityManager em, CinderConfig config) {
        this.volumes = volumes;
        this.migrations = migrations;
        this.policy = policy;
        this.em = em;
        this.config = config;
    }

    @GetMapping({"/v3/{projectId}/volumes/{volumeId}/migration", "/v3/volumes/{volumeId}/migration"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String volumeId) {
        // As Cinder's APIs do: the lookup first (404 for what the caller cannot see), then the policy.
        VolumeEntity v = volumes.get(req, volumeId);
        policy.authorize(req, MigrationPolicies.SHOW, PolicyTarget.owner(v.getProjectId(), v.getUserId()));
        VolumeMigrationEntity m = migrations.findFirstByVolumeIdOrderByCreatedAtDesc(volumeId)
                .orElseThrow(() -> new NotFoundException("Volume " + volumeId + " has no migration."));
        return Map.of("migration", view(m));
    }

    @GetMapping({"/v3/{projectId}/volume-migrations", "/v3/volume-migrations"})
    public Map<String, Object> index(ApiRequest req, @RequestParam Map<String, String> params) {
        policy.authorize(req, MigrationPolicies.INDEX);
        String status = params.get("status");
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidInputException("status must be one of queued, running, success or error, not '" + status
                    + "'.");
        }
        int limit = Paging.limit(params, config.maxLimit());
        StringBuilder jpql = new StringBuilder("select m from VolumeMigrationEntity m where 1 = 1");
        if (params.get("volume_id") != null) {
            jpql.append(" and m.volumeId = :volume");
        }
        if ("queued".equals(status)) {
            jpql.append(" and m.finishedAt is null and m.state = ").append(QUEUED);
        } else if ("running".equals(status)) {
            jpql.append(" and m.finishedAt is null and m.state <> ").append(QUEUED);
        } else if (status != null) {
            jpql.append(" and m.finishedAt is not null and m.state ")
                    .append(status.equals("success") ? "= " : "<> ")
                    .append("org.openstack.jcinder.common.volume.MigrationPhase.SUCCESS");
        }
        jpql.append(" order by m.createdAt desc, m.id desc");
        var query = em.createQuery(jpql.toString(), VolumeMigrationEntity.class).setMaxResults(limit);
        if (params.get("volume_id") != null) {
            query.setParameter("volume", params.get("volume_id"));
        }
        List<Map<String, Object>> out = query.getResultList().stream().map(this::view).toList();
        return Map.of("migrations", out);
    }

    private Map<String, Object> view(VolumeMigrationEntity m) {
        Long position = null;
        if (m.getFinishedAt() == null && m.getState() == MigrationPhase.QUEUED && m.getQueueSeq() != null) {
            String host = m.getSourceHost();
            String backend = host.contains("#") ? host.substring(0, host.indexOf('#')) : host;
            String prefix = (backend + "#").replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
            position = migrations.queuePosition(backend, prefix, m.getQueueSeq());
        }
        return MigrationView.of(m, position);
    }
}
