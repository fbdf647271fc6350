package org.openstack.jcinder.compute.instance;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The servers of this compute host, in memory. Domains are transient (they do not outlive the service, with
 * libvirt nor simulated), so neither do their records: a restarted compute service starts empty, and Cinder
 * volumes left attached to a vanished server are detached by the operator ({@code os-force_detach} /
 * attachment delete). Persisting instances is for the day domains outlive the service.
 */
@Component
public class InstanceStore {

    private final Map<String, Instance> instances = new ConcurrentHashMap<>();

    public void add(Instance instance) {
        instances.put(instance.uuid(), instance);
    }

    public Optional<Instance> find(String uuid) {
        return Optional.ofNullable(instances.get(uuid));
    }

    public void remove(String uuid) {
        instances.remove(uuid);
    }

    public List<Instance> all() {
        Collection<Instance> values = instances.values();
        return values.stream().sorted(Comparator.comparing(Instance::created).reversed()).toList();
    }
}
