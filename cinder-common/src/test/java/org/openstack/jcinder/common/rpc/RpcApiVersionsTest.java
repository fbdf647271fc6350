package org.openstack.jcinder.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.exception.ServiceTooOldException;
import org.openstack.jcinder.common.exception.UnsupportedRpcVersionException;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcVersions;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The version arithmetic of rolling upgrades: order, compatibility, the version a method goes out at. */
class RpcApiVersionsTest {

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final RpcApiVersions volume = VolumeRpcVersions.TABLE;

    private JsonNode migrate(String newTypeId, Long bps, boolean withSnapshots) {
        return mapper.valueToTree(new VolumeRpcApi.MigrateVolume("v1", "h@b", Map.of(), false, newTypeId, bps,
                withSnapshots));
    }

    @Test
    void versionsCompareNumericallyAndFollowTheOsloRule() {
        assertThat(RpcVersion.compare("3.10", "3.9")).isPositive();
        assertThat(RpcVersion.compare("3.2", "3.2")).isZero();
        assertThat(RpcVersion.compare("2.11", "3.0")).isNegative();
        assertThat(RpcVersion.min(List.of("3.11", "3.5", "3.10"))).isEqualTo("3.5");
        assertThat(RpcVersion.isCompatible("3.5", "3.11")).isTrue();
        assertThat(RpcVersion.isCompatible("3.11", "3.5")).isFalse();
        assertThat(RpcVersion.isCompatible("2.0", "3.11")).isFalse();
        assertThat(RpcVersion.isValid("auto")).isFalse();
        assertThatThrownBy(() -> RpcVersion.requireCompatible("3.11", "3.5", "migration_plan"))
                .isInstanceOf(UnsupportedRpcVersionException.class)
                .hasMessage("RPC method migration_plan requested at version 3.11 but this service implements 3.5");
    }

    @Test
    void aMethodGoesOutAtTheHighestOfItsVersionsNotAboveTheCap() {
        JsonNode ref = mapper.valueToTree(new VolumeRpcApi.VolumeRef("v1"));
        // Uncapped: each method at its own version, not the API's newest (as Cinder's _get_cctxt('3.x')).
        assertThat(volume.negotiate(VolumeRpcApi.INITIALIZE_CONNECTION, "3.11", "3.11", ref).version())
                .isEqualTo("3.1");
        assertThat(volume.negotiate(VolumeRpcApi.MIGRATE_VOLUME, "3.11", "3.11", migrate(null, null, true)).version())
                .isEqualTo("3.8");
        assertThat(volume.negotiate(VolumeRpcApi.MIGRATE_VOLUME, "3.11", "3.7", migrate("t", 5L, false)).version())
                .isEqualTo("3.6");
        assertThat(volume.negotiate(VolumeRpcApi.MIGRATE_VOLUME, "3.11", "3.5", migrate("t", null, false)).version())
                .isEqualTo("3.2");
        // The caller's own version lowers it too.
        assertThat(volume.negotiate(VolumeRpcApi.MIGRATE_VOLUME, "3.6", "3.11", migrate(null, 1L, false)).version())
                .isEqualTo("3.6");
    }

    @Test
    void anUnusedNewerArgumentIsDroppedAndAUsedOneRefused() {
        RpcApiVersions.Negotiated n = volume.negotiate(VolumeRpcApi.MIGRATE_VOLUME, "3.11", "3.5",
                migrate("t", null, false));
        assertThat(n.args().has("bpsLimit")).isFalse();
        assertThat(n.args().has("withSnapshots")).isFalse();
        assertThat(n.args().get("newTypeId").stringValue()).isEqualTo("t");
        JsonNode original = migrate(null, null, false);
        assertThat(volume.negotiate(VolumeRpcApi.MIGRATE_VOLUME, "3.11", "3.1", original).args().has("newTypeId"))
                .isFalse();
        assertThat(original.has("newTypeId")).as("the caller's tree is not modified").isTrue();

        assertThatThrownBy(() -> volume.negotiate(VolumeRpcApi.MIGRATE_VOLUME, "3.11", "3.7", migrate(null, null, true)))
                .isInstanceOf(ServiceTooOldException.class)
                .hasMessageContaining("with withSnapshots: it needs RPC API version 3.8")
                .hasMessageContaining("pinned to 3.7");
        JsonNode cascade = mapper.valueToTree(new VolumeRpcApi.DeleteVolume("v1", true));
        assertThatThrownBy(() -> volume.negotiate(VolumeRpcApi.DELETE_VOLUME, "3.11", "3.8", cascade))
                .isInstanceOf(ServiceTooOldException.class).hasMessageContaining("cascade");
        JsonNode plain = mapper.valueToTree(new VolumeRpcApi.DeleteVolume("v1", false));
        RpcApiVersions.Negotiated old = volume.negotiate(VolumeRpcApi.DELETE_VOLUME, "3.11", "3.8", plain);
        assertThat(old.version()).isEqualTo("3.0");
        assertThat(old.args().has("cascade")).isFalse();
    }

    @Test
    void aMethodNewerThanTheCapIsRefusedWithCindersError() {
        JsonNode ref = mapper.valueToTree(new VolumeRpcApi.VolumeRef("v1"));
        assertThatThrownBy(() -> volume.negotiate(VolumeRpcApi.MIGRATION_PLAN, "3.11", "3.10", ref))
                .isInstanceOfSatisfying(ServiceTooOldException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessageContaining("One of the cinder-volume services is too old to accept the migration_plan "
                        + "request: it needs RPC API version 3.11");
        assertThat(volume.negotiate(VolumeRpcApi.EXTEND_VOLUME, "3.11", "3.5", ref).version()).isEqualTo("3.5");
        assertThatThrownBy(() -> volume.negotiate(VolumeRpcApi.EXTEND_VOLUME, "3.11", "3.4", ref))
                .isInstanceOf(ServiceTooOldException.class);
        // A method missing from the table needs the newest version.
        assertThatThrownBy(() -> volume.negotiate("not_in_the_table", "3.11", "3.10", ref))
                .isInstanceOf(ServiceTooOldException.class);
    }

    @Test
    void theTablesMatchTheApisHistory() throws Exception {
        assertThat(VolumeRpcVersions.TABLE.introduced().keySet())
                .containsExactlyInAnyOrderElementsOf(methodConstants(VolumeRpcApi.class));
        assertThat(SchedulerRpcVersions.TABLE.introduced().keySet())
                .containsExactlyInAnyOrderElementsOf(methodConstants(SchedulerRpcApi.class));
        assertThat(VolumeRpcVersions.TABLE.introduced().values())
                .allSatisfy(v -> assertThat(RpcVersion.compare(v, VolumeRpcApi.VERSION)).isNotPositive())
                .contains(VolumeRpcApi.VERSION);
        assertThat(SchedulerRpcVersions.TABLE.introduced().values())
                .allSatisfy(v -> assertThat(RpcVersion.compare(v, SchedulerRpcApi.VERSION)).isNotPositive())
                .contains(SchedulerRpcApi.VERSION);
        assertThat(VolumeRpcVersions.TABLE.serves(RpcTopics.volume("h@b"))).isTrue();
        assertThat(VolumeRpcVersions.TABLE.serves(RpcTopics.SCHEDULER)).isFalse();
        assertThat(SchedulerRpcVersions.TABLE.serves(RpcTopics.SCHEDULER_FANOUT)).isTrue();
    }

    /** Every public String constant but VERSION: the method names. */
    private static List<String> methodConstants(Class<?> api) throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field f : api.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("VERSION")) {
                names.add((String) f.get(null));
            }
        }
        return names;
    }
}
