package org.openstack.jcinder.api.actions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The checks {@code os-migrate_volume} makes after the body, the lookup and the policy, in Cinder's order: the
 * cluster form (no clusters here), the destination's name, its service (up and enabled), then the volume's state
 * (Cinder's one message for status, migration, snapshots and "not already there"; with {@code with_snapshots}
 * first that the volume is detached, then this project's state check). One list for the request,
 * which stops at the first error, and for its dry-run, which runs every check it can and reports them all.
 * None of them changes anything: the request's state change is its own conditional update, with the same WHERE
 * clause as the state check here ({@link VolumeRepository#MIGRATABLE}).
 */
@Component
public class MigrationChecks {

    /**
     * What the checks look at: the volume and the destination as the body gave it. {@code withSnapshots} (this
     * project's extension): the volume must be detached, and the state check is the one of
     * {@link VolumeRepository#startMigrationWithSnapshots} (available, every snapshot available) instead of
     * Cinder's (no snapshots).
     */
    public record Target(VolumeEntity volume, String host, String cluster, boolean withSnapshots, Long bpsLimit) {
        public Target(VolumeEntity volume, String host, String cluster, boolean withSnapshots) {
            this(volume, host, cluster, withSnapshots, null);
        }

        public Target(VolumeEntity volume, String host, String cluster) {
            this(volume, host, cluster, false, null);
        }
    }

    /** One check: the error the request would answer, or empty when it passes. */
    private record Check(String name, boolean needsHost, Function<Target, Optional<CinderException>> run) {
    }

    private final VolumeRepository volumes;
    private final ServiceRepository services;
    private final ServiceRegistry registry;
    private final JsonMapper mapper;
    private final List<Check> checks;

    public MigrationChecks(VolumeRepository volumes, ServiceRepository services, ServiceRegistry registry,
                           JsonMapper mapper) {
        this.volumes = volumes;
        this.services = services;
        this.registry = registry;
        this.mapper = mapper;
        this.checks = List.of(
                new Check("cluster", false, this::noCluster),
                new Check("host", true, this::hostParses),
                new Check("service", true, this::serviceUp),
                new Check("attached", false, this::detachedWhenWithSnapshots),
                new Check("volume state", true, this::migratable),
                new Check("bandwidth limit", false, this::bandwidthLimitKept));
    }

    /** The request: the first failing check's error is thrown. */
    public void requireAll(Target t) {
        List<CinderException> failed = run(t, true);
        if (!failed.isEmpty()) {
            throw failed.get(0);
        }
    }

    /**
     * The dry-run: every failing check, in order. A check of the destination is skipped when there is no host
     * to check (the cluster form), and the service check when the name does not parse (the request stops there
     * with that error, which is reported).
     */
    public List<CinderException> all(Target t) {
        return run(t, false);
    }

    private List<CinderException> run(Target t, boolean stopAtFirst) {
        List<CinderException> failed = new ArrayList<>();
        boolean hostParsed = true;
        for (Check check : checks) {
            if (check.needsHost() && (isBlank(t.host()) || (!hostParsed && check.name().equals("service")))) {
                continue;
            }
            Optional<CinderException> error = check.run().apply(t);
            if (error.isPresent()) {
                failed.add(error.get());
                if (stopAtFirst) {
                    return failed;
                }
                if (check.name().equals("host")) {
                    hostParsed = false;
                }
            }
        }
        return failed;
    }

    /** The message of a refused state change; also the request's answer when its conditional update loses a race. */
    public static CinderException notMigratable(String volumeId) {
        return new InvalidVolumeException("Volume " + volumeId + " status must be available or in-use, must "
                + "not be migrating, have snapshots, be replicated, be part of a group and destination "
                + "host/cluster must be different than the current one");
    }

    private Optional<CinderException> noCluster(Target t) {
        return isBlank(t.cluster()) ? Optional.empty()
                : Optional.of(noService(t.cluster()));
    }

    private Optional<CinderException> hostParses(Target t) {
        try {
            BackendHost.parse(t.host());
            return Optional.empty();
        } catch (CinderException e) {
            return Optional.of(noService(t.host()));
        }
    }

    private Optional<CinderException> serviceUp(Target t) {
        String serviceHost = BackendHost.parse(t.host()).serviceHost();
        boolean up = services.findByHostAndBinaryName(serviceHost, ServiceRegistry.VOLUME_BINARY)
                .filter(s -> !s.isDeleted() && !s.isDisabled() && registry.isUp(s)).isPresent();
        return up ? Optional.empty() : Optional.of(noService(serviceHost));
    }

    /**
     * This project's: a {@code bps_limit} on a volume whose backend reports that its host copy cannot keep one
     * (its capabilities, {@code copyBandwidthLimit} false: dd on a host where it cannot be paced) is refused
     * here, rather than accepted and then failed by the volume service, or ignored. A backend that does not
     * say (an older service, no report yet) is taken to keep it, as before.
     */
    private Optional<CinderException> bandwidthLimitKept(Target t) {
        if (t.bpsLimit() == null || t.bpsLimit() == 0 || t.volume().getHost() == null) {
            return Optional.empty();
        }
        String source = BackendHost.parse(t.volume().getHost()).serviceHost();
        return services.findByHostAndBinaryName(source, ServiceRegistry.VOLUME_BINARY)
                .map(s -> s.getCapabilities())
                .filter(json -> json != null && Boolean.FALSE.equals(
                        mapper.readValue(json, BackendCapabilities.class).copyBandwidthLimit()))
                .map(json -> new InvalidInputException("bps_limit: the copy engine of " + source
                        + " cannot keep a bandwidth limit on its host; migrate without bps_limit"));
    }

    /**
     * The message of a refused {@code with_snapshots} state change; also the request's answer when its conditional
     * update loses a race.
     */
    public static CinderException notMigratableWithSnapshots(String volumeId) {
        return new InvalidVolumeException("Volume " + volumeId + " status must be available and every "
                + "snapshot of it available to migrate with_snapshots; it must not be migrating, and "
                + "destination host/cluster must be different than the current one");
    }

    /** Nova's swap copies the active disk alone: a chain of snapshots moves only with a detached volume. */
    private Optional<CinderException> detachedWhenWithSnapshots(Target t) {
        VolumeEntity v = t.volume();
        if (!t.withSnapshots() || (v.getStatus() != VolumeStatus.IN_USE && v.getAttachStatus() != AttachStatus.ATTACHED)) {
            return Optional.empty();
        }
        return Optional.of(new InvalidVolumeException("Volume " + v.getId() + " is attached: with_snapshots moves "
                + "only detached volumes (an attached volume is moved by Nova's swap, which copies the active disk "
                + "alone and cannot carry its snapshots). Detach it first."));
    }

    private Optional<CinderException> migratable(Target t) {
        String id = t.volume().getId();
        if (t.withSnapshots()) {
            return volumes.countMigratableWithSnapshots(id, t.host()) > 0 ? Optional.empty()
                    : Optional.of(notMigratableWithSnapshots(id));
        }
        return volumes.countMigratable(id, t.host()) > 0 ? Optional.empty() : Optional.of(notMigratable(id));
    }

    private static CinderException noService(String name) {
        return new CinderException(400, "Invalid host: No available service named '" + name + "'");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
