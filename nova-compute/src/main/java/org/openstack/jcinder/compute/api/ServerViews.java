package org.openstack.jcinder.compute.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.instance.BlockDeviceMapping;
import org.openstack.jcinder.compute.instance.Instance;

/** Servers and volume attachments the way Nova's views write them, with the fields that depend on version. */
final class ServerViews {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private ServerViews() {
    }

    static Map<String, Object> brief(ComputeRequest req, Instance i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.uuid());
        m.put("name", i.name());
        m.put("links", links(req, i));
        return m;
    }

    static Map<String, Object> detail(ComputeRequest req, NovaConfig config, Instance i, boolean extendedAttributes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.uuid());
        m.put("name", i.name());
        m.put("status", i.vmState().status());
        m.put("tenant_id", i.projectId());
        m.put("user_id", i.userId());
        m.put("metadata", i.metadata());
        m.put("hostId", Integer.toHexString((i.projectId() + config.host()).hashCode()));
        m.put("image", i.imageRef() == null ? "" : Map.of("id", i.imageRef()));
        m.put("flavor", Map.of("id", i.flavorRef()));
        m.put("created", time(i.created()));
        m.put("updated", time(i.updated()));
        m.put("addresses", Map.of());
        m.put("accessIPv4", "");
        m.put("accessIPv6", "");
        m.put("links", links(req, i));
        m.put("OS-DCF:diskConfig", "MANUAL");
        m.put("OS-EXT-AZ:availability_zone", "nova");
        m.put("OS-EXT-STS:vm_state", i.vmState().apiName());
        m.put("OS-EXT-STS:task_state", i.taskState());
        m.put("OS-EXT-STS:power_state", i.vmState() == Instance.VmState.ACTIVE ? 1 : 0);
        if (extendedAttributes) {
            m.put("OS-EXT-SRV-ATTR:host", config.host());
            m.put("OS-EXT-SRV-ATTR:hypervisor_hostname", config.host());
            m.put("OS-EXT-SRV-ATTR:instance_name", "instance-" + i.uuid());
        }
        m.put("os-extended-volumes:volumes_attached", i.volumes().stream().map(b -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", b.volumeId());
            if (req.version().atLeast(3)) {
                v.put("delete_on_termination", b.deleteOnTermination());
            }
            return v;
        }).toList());
        if (i.fault() != null) {
            m.put("fault", Map.of("code", 500, "message", i.fault(), "created", time(i.updated())));
        }
        return m;
    }

    static Map<String, Object> attachment(ComputeRequest req, Instance i, BlockDeviceMapping b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", b.device());
        if (!req.version().atLeast(89)) {
            m.put("id", b.volumeId());
        }
        m.put("serverId", i.uuid());
        m.put("volumeId", b.volumeId());
        if (req.version().atLeast(70)) {
            m.put("tag", b.tag());
        }
        if (req.version().atLeast(79)) {
            m.put("delete_on_termination", b.deleteOnTermination());
        }
        if (req.version().atLeast(89)) {
            m.put("attachment_id", b.attachmentId());
            m.put("bdm_uuid", b.uuid());
        }
        return m;
    }

    private static List<Map<String, String>> links(ComputeRequest req, Instance i) {
        return List.of(Map.of("rel", "self", "href", req.baseUrl() + "/v2.1/servers/" + i.uuid()),
                Map.of("rel", "bookmark", "href", req.baseUrl() + "/servers/" + i.uuid()));
    }

    static String time(Instant t) {
        return TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
