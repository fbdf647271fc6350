package org.openstack.jcinder.volume.health;

import org.openstack.jcinder.volume.manager.VolumeManager;
import org.openstack.jcinder.volume.manager.VolumeService;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code backends} in readiness: DOWN when any backend of this cinder-volume could not initialise its driver,
 * with each backend's state and reason as details (what the service reports to the scheduler as well).
 */
@Component
public class BackendsHealthIndicator extends AbstractHealthIndicator {

    private final VolumeService service;

    public BackendsHealthIndicator(VolumeService service) {
        super("Backends health check failed");
        this.service = service;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean allUp = true;
        for (VolumeManager m : service.managers()) {
            String reason = m.notReadyReason();
            allUp &= reason == null;
            builder.withDetail(m.serviceHost(), reason == null ? "up" : "down: " + reason);
        }
        if (allUp) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
