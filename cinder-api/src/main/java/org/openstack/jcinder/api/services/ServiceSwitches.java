package org.openstack.jcinder.api.services;

import java.util.ArrayList;
import java.util.List;

import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.db.ServiceStateRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The operator's switches on services: enable/disable (the scheduler stops placing on a disabled backend and the
 * API refuses it as a migration destination) and freeze/thaw (a frozen backend refuses modifications), with
 * Cinder's lookups and messages.
 */
@Component
public class ServiceSwitches {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceSwitches.class);

    private final ServiceRepository services;
    private final ServiceStateRepository state;

    public ServiceSwitches(ServiceRepository services, ServiceStateRepository state) {
        this.services = services;
        this.state = state;
    }

    /** Cinder's {@code Service.get_by_args(host, binary)} then the save of {@code disabled} (and reason). */
    public void setDisabled(String requestId, String host, String binary, boolean disabled, String reason) {
        ServiceEntity s = matching(host).stream().filter(x -> x.getBinaryName().equals(binary))
                .sorted((a, b) -> Boolean.compare(!a.getHost().equals(host), !b.getHost().equals(host)))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("Service " + binary + " could not be found on host "
                        + host + "."));
        state.setDisabled(s.getId(), disabled, reason);
        LOG.info("Service {} on {} {}{} (request {})", binary, s.getHost(), disabled ? "disabled" : "enabled",
                reason == null ? "" : ": " + reason, requestId);
    }

    /**
     * Cinder's {@code freeze_host}/{@code thaw_host}: every volume service of the host (or cluster) changes from
     * {@code !frozen} to {@code frozen}; none changing is an error naming them.
     */
    public void setFrozen(String requestId, String host, String cluster, boolean frozen) {
        List<ServiceEntity> found = new ArrayList<>((host != null ? matching(host) : services.findByDeletedFalseOrderById()
                .stream().filter(s -> cluster.equals(s.getClusterName())).toList()).stream()
                .filter(s -> s.getBinaryName().equals(ServiceRegistry.VOLUME_BINARY)).toList());
        if (found.isEmpty()) {
            // ServiceNotFound, which the services API turns into InvalidInput.
            throw new InvalidInputException(host != null ? "No service found with host=" + host
                    : "No service found with cluster=" + cluster);
        }
        if (host != null && found.stream().anyMatch(s -> !s.getHost().equals(found.get(0).getHost()))) {
            throw new CinderException(400, "Services from different clusters found.");
        }
        List<String> notChanged = new ArrayList<>();
        for (ServiceEntity s : found) {
            if (state.setFrozen(List.of(s.getId()), !frozen, frozen) == 0) {
                notChanged.add("'" + s.getHost() + "'");
            }
        }
        if (!notChanged.isEmpty()) {
            String msg = "frozen in [" + String.join(", ", notChanged) + "] must be " + (frozen ? "False" : "True")
                    + " to failover.";
            if (notChanged.size() == found.size()) {
                throw new InvalidInputException("No service could be changed: " + msg);
            }
            LOG.warn("Some services could not be changed: {}", msg);
        }
        LOG.info("Backend {} {} (request {})", host != null ? host : "cluster " + cluster,
                frozen ? "frozen" : "thawed", requestId);
    }

    /** Cinder's host filter on services: the host itself, or its backends ({@code host@…}) and pools. */
    private List<ServiceEntity> matching(String host) {
        return services.findByDeletedFalseOrderById().stream()
                .filter(s -> s.getHost().equals(host) || s.getHost().startsWith(host + "@")
                        || s.getHost().startsWith(host + "#"))
                .toList();
    }
}
