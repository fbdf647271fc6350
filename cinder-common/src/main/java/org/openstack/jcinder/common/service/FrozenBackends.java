package org.openstack.jcinder.common.service;

import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.exception.InvalidInputException;
import org.openstack.jcinder.common.volume.BackendHost;
import org.springframework.stereotype.Component;

/**
 * Cinder's {@code assert_not_frozen}: a volume on a frozen backend ({@code PUT /os-services/freeze}) refuses the
 * modification operations Cinder refuses there, until the backend is thawed.
 */
@Component
public class FrozenBackends {

    public static final String FROZEN = "Modification operations are not allowed on frozen storage backends.";

    private final ServiceRepository services;

    public FrozenBackends(ServiceRepository services) {
        this.services = services;
    }

    /** Refuses with Cinder's 400 when the backend of {@code volumeHost} ({@code host@backend#pool}) is frozen. */
    public void assertNotFrozen(String volumeHost) {
        if (volumeHost == null) {
            return;
        }
        String backend = BackendHost.parse(volumeHost).serviceHost();
        boolean frozen = services.findByHostAndBinaryName(backend, ServiceRegistry.VOLUME_BINARY)
                .filter(s -> !s.isDeleted() && s.isFrozen()).isPresent();
        if (frozen) {
            throw new InvalidInputException(FROZEN);
        }
    }
}
