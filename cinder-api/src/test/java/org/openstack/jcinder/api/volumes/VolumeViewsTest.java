package org.openstack.jcinder.api.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.api.policy.TestPolicies;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.ApiVersion;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class VolumeViewsTest {

    private static final VolumeViews VIEWS = new VolumeViews(TestPolicies.defaults());

    @Test
    void timestampsLookLikeCinders() {
        assertThat(VolumeViews.time(LocalDateTime.of(2026, 11, 24, 18, 32, 12, 150_756_000)))
                .isEqualTo("2026-11-24T18:32:12.150756");
        assertThat(VolumeViews.time(LocalDateTime.of(2026, 1, 2, 3, 4, 5, 0))).isEqualTo("2026-01-02T03:04:05.000000");
        assertThat(VolumeViews.time(LocalDateTime.of(999, 1, 2, 3, 4, 5, 7_000))).isEqualTo("0999-01-02T03:04:05.000007");
        assertThat(VolumeViews.time(null)).isNull();
    }

    private static JsonNode render(boolean admin, int minor) {
        VolumeEntity v = new VolumeEntity();
        v.setId("675935db-8100-440c-84ce-2143e1215eb8");
        v.setStatus(VolumeStatus.AVAILABLE);
        v.setSize(1);
        v.setAvailabilityZone("nova");
        v.setCreatedAt(LocalDateTime.of(2026, 11, 24, 18, 32, 12, 150_756_000));
        v.setDisplayName("wire-c1");
        v.setProjectId("p");
        v.setUserId("admin");
        v.setHost("h@b#b");
        v.setMetadata(new java.util.HashMap<>(Map.of("k", "v")));
        RequestContext ctx = new RequestContext("req-1", admin ? "admin" : "u", "p",
                admin ? List.of("admin") : List.of("member", "reader"));
        ApiRequest req = new ApiRequest(ctx, new ApiVersion(3, minor), "http://h:8776", null);
        JsonMapper mapper = JsonMapper.builder().build();
        return mapper.readTree(mapper.writeValueAsString(Map.of("volume",
                VIEWS.detail(req, v, List.of(), "__DEFAULT__", VIEWS.extensions(req))))).get("volume");
    }

    private static List<String> keys(JsonNode n) {
        return new ArrayList<>(n.propertyNames());
    }

    @Test
    void detailHasCindersFieldsInCindersOrder() {
        // The order of the show response captured from Cinder 21.3 at microversion 3.70 (api-wire-examples).
        assertThat(keys(render(true, 70))).containsExactly("id", "status", "size", "availability_zone",
                "created_at", "updated_at", "name", "description", "volume_type", "snapshot_id", "source_volid",
                "metadata", "links", "user_id", "bootable", "encrypted", "replication_status",
                "consistencygroup_id", "multiattach", "attachments", "migration_status", "group_id", "provider_id",
                "shared_targets", "service_uuid", "cluster_name", "volume_type_id", "consumes_quota",
                "os-vol-tenant-attr:tenant_id", "os-vol-mig-status-attr:migstat", "os-vol-mig-status-attr:name_id",
                "os-vol-host-attr:host");
        JsonNode admin = render(true, 70);
        assertThat(admin.get("created_at").stringValue()).isEqualTo("2026-11-24T18:32:12.150756");
        assertThat(admin.get("updated_at").isNull()).isTrue();
        assertThat(admin.get("bootable").stringValue()).isEqualTo("false");
        assertThat(admin.get("metadata").get("k").stringValue()).isEqualTo("v");
        assertThat(admin.get("links").get(0).get("href").stringValue())
                .isEqualTo("http://h:8776/v3/volumes/675935db-8100-440c-84ce-2143e1215eb8");
        assertThat(admin.get("os-vol-host-attr:host").stringValue()).isEqualTo("h@b#b");
        assertThat(admin.get("shared_targets").booleanValue()).as("Cinder's column default").isTrue();
    }

    @Test
    void createAndUpdateCarryNoExtensionAttributes() {
        VolumeEntity v = new VolumeEntity();
        v.setId("v1");
        v.setStatus(VolumeStatus.CREATING);
        v.setProjectId("p");
        RequestContext ctx = new RequestContext("req-1", "admin", "p", List.of("admin"));
        ApiRequest req = new ApiRequest(ctx, new ApiVersion(3, 70), "http://h:8776", null);
        JsonMapper mapper = JsonMapper.builder().build();
        JsonNode json = mapper.readTree(mapper.writeValueAsString(
                VIEWS.detail(req, v, List.of(), "__DEFAULT__", VolumeViews.Extensions.NONE)));
        assertThat(keys(json)).doesNotContain("os-vol-tenant-attr:tenant_id", "os-vol-host-attr:host",
                "os-vol-mig-status-attr:migstat", "os-vol-mig-status-attr:name_id");
        assertThat(keys(json)).contains("migration_status", "provider_id", "cluster_name");
    }

    @Test
    void readonlyAdminMetadataIsShownAmongTheMetadata() {
        VolumeEntity v = new VolumeEntity();
        v.setId("v1");
        v.setStatus(VolumeStatus.AVAILABLE);
        v.setMetadata(new java.util.HashMap<>(Map.of("k", "v")));
        v.setAdminMetadata(new java.util.HashMap<>(Map.of("readonly", "True", "secret", "x")));
        JsonNode json = renderAdmin(v, List.of());
        assertThat(json.get("metadata").get("readonly").stringValue()).isEqualTo("True");
        assertThat(json.get("metadata").has("secret")).as("only Cinder's visible keys").isFalse();
    }

    @Test
    void volumeTypeFallsBackToItsIdBefore363() {
        VolumeEntity v = new VolumeEntity();
        v.setId("v1");
        v.setStatus(VolumeStatus.AVAILABLE);
        v.setVolumeTypeId("t-1");
        RequestContext ctx = new RequestContext("req-1", "u", "p", List.of("member", "reader"));
        JsonMapper mapper = JsonMapper.builder().build();
        ApiRequest old = new ApiRequest(ctx, new ApiVersion(3, 62), "http://h:8776", null);
        ApiRequest now = new ApiRequest(ctx, new ApiVersion(3, 63), "http://h:8776", null);
        assertThat(mapper.readTree(mapper.writeValueAsString(VIEWS.detail(old, v, List.of(), null,
                VolumeViews.Extensions.NONE))).get("volume_type").stringValue()).isEqualTo("t-1");
        assertThat(mapper.readTree(mapper.writeValueAsString(VIEWS.detail(now, v, List.of(), null,
                VolumeViews.Extensions.NONE))).get("volume_type").isNull()).isTrue();
    }

    @Test
    void membersAndOldMicroversionsSeeLess() {
        List<String> member = keys(render(false, 70));
        assertThat(member).doesNotContain("migration_status", "provider_id", "cluster_name",
                "os-vol-host-attr:host", "os-vol-mig-status-attr:migstat", "os-vol-mig-status-attr:name_id");
        assertThat(member).contains("volume_type_id", "os-vol-tenant-attr:tenant_id");
        assertThat(keys(render(true, 0))).doesNotContain("group_id", "provider_id", "shared_targets",
                "service_uuid", "cluster_name", "volume_type_id", "consumes_quota");
    }

    private static JsonNode renderAdmin(VolumeEntity v, List<VolumeAttachmentEntity> attachments) {
        RequestContext ctx = new RequestContext("req-1", "admin", "p", List.of("admin"));
        ApiRequest req = new ApiRequest(ctx, new ApiVersion(3, 70), "http://h:8776", null);
        JsonMapper mapper = JsonMapper.builder().build();
        return mapper.readTree(mapper.writeValueAsString(Map.of("volume",
                VIEWS.detail(req, v, attachments, "__DEFAULT__", VIEWS.extensions(req))))).get("volume");
    }

    @Test
    void statusesAreWrittenInCindersSpelling() {
        VolumeEntity v = new VolumeEntity();
        v.setId("v1");
        v.setStatus(VolumeStatus.IN_USE);
        v.setAttachStatus(AttachStatus.ATTACHED);
        v.setMigrationStatus(MigrationStatus.MIGRATING);
        VolumeAttachmentEntity attached = new VolumeAttachmentEntity();
        attached.setId("a1");
        attached.setAttachStatus(AttachStatus.ATTACHED);
        VolumeAttachmentEntity reserved = new VolumeAttachmentEntity();
        reserved.setId("a2");
        reserved.setAttachStatus(AttachStatus.RESERVED);
        JsonNode json = renderAdmin(v, List.of(attached, reserved));
        assertThat(json.get("status").stringValue()).isEqualTo("in-use");
        assertThat(json.get("migration_status").stringValue()).isEqualTo("migrating");
        assertThat(json.get("os-vol-mig-status-attr:migstat").stringValue()).isEqualTo("migrating");
        assertThat(json.get("attachments")).as("only attached ones are shown").hasSize(1);
        assertThat(json.get("attachments").get(0).get("attachment_id").stringValue()).isEqualTo("a1");
        assertThat(json.get("consumes_quota").booleanValue()).isTrue();
        assertThat(json.has("os-vol-mig-status-attr:progress")).as("progress is its own resource").isFalse();
    }

    @Test
    void aTemporaryVolumeShowsItsTargetAndConsumesNoQuota() {
        VolumeEntity tmp = new VolumeEntity();
        tmp.setId("t1");
        tmp.setStatus(VolumeStatus.CREATING);
        tmp.setMigrationStatus(MigrationStatus.target("v1"));
        JsonNode json = renderAdmin(tmp, List.of());
        assertThat(json.get("status").stringValue()).isEqualTo("creating");
        assertThat(json.get("migration_status").stringValue()).isEqualTo("target:v1");
        assertThat(json.get("os-vol-mig-status-attr:migstat").stringValue()).isEqualTo("target:v1");
        assertThat(json.get("consumes_quota").booleanValue()).isFalse();

        tmp.setMigrationStatus(null);
        JsonNode none = renderAdmin(tmp, List.of());
        assertThat(none.get("migration_status").isNull()).isTrue();
        assertThat(none.get("consumes_quota").booleanValue()).isTrue();
    }
}
