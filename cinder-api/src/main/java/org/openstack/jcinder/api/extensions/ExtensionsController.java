package org.openstack.jcinder.api.extensions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.common.exception.NotFoundException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cinder's {@code GET /extensions}: the Cinder API extensions this service implements, with Cinder's names,
 * aliases, descriptions and dates (clients such as {@code cinder extension-list} and Tempest read them to decide
 * what to call). A feature that implements another extension adds its descriptor to {@link #EXTENSIONS}.
 */
@RestController
public class ExtensionsController {

    record Extension(String name, String alias, String description, String updated) {
    }

    /** In the order Cinder loads them (its contrib modules' names). */
    static final List<Extension> EXTENSIONS = List.of(
            new Extension("AdminActions", "os-admin-actions", "Enable admin actions.", "2012-08-25T00:00:00+00:00"),
            new Extension("AvailabilityZones", "os-availability-zone", "Describe Availability Zones.",
                    "2013-06-27T00:00:00+00:00"),
            new Extension("Capabilities", "capabilities", "Capabilities support.", "2015-08-31T00:00:00+00:00"),
            new Extension("ExtendedServices", "os-extended-services", "Extended services support.",
                    "2014-01-10T00:00:00-00:00"),
            new Extension("ExtendedSnapshotAttributes", "os-extended-snapshot-attributes",
                    "Extended SnapshotAttributes support.", "2012-06-19T00:00:00+00:00"),
            new Extension("Hosts", "os-hosts", "Admin-only host administration.", "2011-06-29T00:00:00+00:00"),
            new Extension("Scheduler_stats", "scheduler-stats", "Scheduler stats support.",
                    "2014-09-07T00:00:00+00:00"),
            new Extension("Services", "os-services", "Services support.", "2012-10-28T00:00:00-00:00"),
            new Extension("SnapshotActions", "os-snapshot-actions", "Enable snapshot manager actions.",
                    "2013-07-16T00:00:00+00:00"),
            new Extension("TypesExtraSpecs", "os-types-extra-specs", "Type extra specs support.",
                    "2011-08-24T00:00:00+00:00"),
            new Extension("TypesManage", "os-types-manage", "Types manage support.", "2011-08-24T00:00:00+00:00"),
            new Extension("VolumeActions", "os-volume-actions", "Enable volume actions.",
                    "2012-05-31T00:00:00+00:00"),
            new Extension("VolumeHostAttribute", "os-vol-host-attr", "Expose host as an attribute of a volume.",
                    "2011-11-03T00:00:00+00:00"),
            new Extension("VolumeMigStatusAttribute", "os-vol-mig-status-attr",
                    "Expose migration_status as an attribute of a volume.", "2013-08-08T00:00:00+00:00"),
            new Extension("VolumeTenantAttribute", "os-vol-tenant-attr",
                    "Expose the internal project_id as an attribute of a volume.", "2011-11-03T00:00:00+00:00"),
            new Extension("VolumeTransfer", "os-volume-transfer", "Volume transfer management support.",
                    "2013-05-29T00:00:00+00:00"));

    @GetMapping({"/v3/{projectId}/extensions", "/v3/extensions"})
    public Map<String, Object> list() {
        return Map.of("extensions", EXTENSIONS.stream().map(ExtensionsController::view).toList());
    }

    /** Cinder's show: the alias is the id; an unknown one is a bare 404. */
    @GetMapping({"/v3/{projectId}/extensions/{alias}", "/v3/extensions/{alias}"})
    public Map<String, Object> show(@PathVariable String alias) {
        return Map.of("extension", EXTENSIONS.stream().filter(e -> e.alias().equals(alias)).findFirst()
                .map(ExtensionsController::view)
                .orElseThrow(() -> new NotFoundException("The resource could not be found.")));
    }

    private static Map<String, Object> view(Extension e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("alias", e.alias());
        m.put("description", e.description());
        m.put("updated", e.updated());
        m.put("links", List.of());
        return m;
    }
}
