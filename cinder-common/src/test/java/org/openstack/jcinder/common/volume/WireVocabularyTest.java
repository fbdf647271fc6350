package org.openstack.jcinder.common.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.UpdateMigrated;

import tools.jackson.databind.json.JsonMapper;

/** The typed vocabulary keeps Cinder's spellings: on the wire, in RPC messages and in the database. */
class WireVocabularyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Every value and the exact spelling Cinder (or, for migration records, this project) uses. */
    static Stream<Arguments> spellings() {
        return Stream.of(
                spelled(VolumeStatus.CREATING, "creating"), spelled(VolumeStatus.AVAILABLE, "available"),
                spelled(VolumeStatus.DELETING, "deleting"), spelled(VolumeStatus.ERROR, "error"),
                spelled(VolumeStatus.ERROR_DELETING, "error_deleting"), spelled(VolumeStatus.IN_USE, "in-use"),
                spelled(VolumeStatus.ATTACHING, "attaching"), spelled(VolumeStatus.DETACHING, "detaching"),
                spelled(VolumeStatus.RESERVED, "reserved"), spelled(VolumeStatus.MAINTENANCE, "maintenance"),
                spelled(VolumeStatus.EXTENDING, "extending"), spelled(VolumeStatus.ERROR_EXTENDING, "error_extending"),
                spelled(VolumeStatus.RETYPING, "retyping"), spelled(VolumeStatus.ERROR_RESTORING, "error_restoring"),
                spelled(VolumeStatus.ERROR_MANAGING, "error_managing"), spelled(VolumeStatus.DELETED, "deleted"),
                spelled(VolumeStatus.AWAITING_TRANSFER, "awaiting-transfer"),
                spelled(VolumeStatus.REVERTING, "reverting"),
                spelled(VolumeStatus.MANAGING, "managing"), spelled(VolumeStatus.UNMANAGING, "unmanaging"),
                spelled(VolumeStatus.ERROR_UNMANAGING, "error_unmanaging"),
                spelled(AttachStatus.ATTACHED, "attached"), spelled(AttachStatus.ATTACHING, "attaching"),
                spelled(AttachStatus.DETACHED, "detached"), spelled(AttachStatus.RESERVED, "reserved"),
                spelled(AttachStatus.ERROR_ATTACHING, "error_attaching"),
                spelled(AttachStatus.ERROR_DETACHING, "error_detaching"), spelled(AttachStatus.DELETED, "deleted"),
                spelled(MigrationStatus.STARTING, "starting"), spelled(MigrationStatus.MIGRATING, "migrating"),
                spelled(MigrationStatus.COMPLETING, "completing"), spelled(MigrationStatus.SUCCESS, "success"),
                spelled(MigrationStatus.ERROR, "error"), spelled(MigrationStatus.DELETING, "deleting"),
                spelled(MigrationStatus.target("8f0c5a4e-1b7e-4a55-9f43-7d1c3e1f2a90"),
                        "target:8f0c5a4e-1b7e-4a55-9f43-7d1c3e1f2a90"),
                spelled(MigrationPath.DRIVER, "driver"), spelled(MigrationPath.GENERIC, "generic"),
                spelled(MigrationPath.ATTACHED, "attached"),
                spelled(MigrationPhase.MIGRATING, "migrating"), spelled(MigrationPhase.QUEUED, "queued"),
                spelled(MigrationPhase.CREATING_DESTINATION, "creating-destination"),
                spelled(MigrationPhase.COPYING, "copying"), spelled(MigrationPhase.COMPLETING, "completing"),
                spelled(MigrationPhase.WAITING_FOR_COMPUTE, "waiting-for-compute"),
                spelled(MigrationPhase.COMPUTE_COPYING, "compute-copying"),
                spelled(MigrationPhase.SUCCESS, "success"), spelled(MigrationPhase.ERROR, "error"));
    }

    private static Arguments spelled(WireValue value, String wire) {
        return Arguments.of(value, wire);
    }

    private static final Map<Class<?>, Function<String, ? extends WireValue>> PARSERS = Map.of(
            VolumeStatus.class, VolumeStatus::parse, AttachStatus.class, AttachStatus::parse,
            MigrationStatus.Standard.class, MigrationStatus::parse, MigrationStatus.Target.class, MigrationStatus::parse,
            MigrationPath.class, MigrationPath::parse, MigrationPhase.class, MigrationPhase::parse);

    @ParameterizedTest(name = "{1}")
    @MethodSource("spellings")
    void everyValueRoundTripsThroughItsSpelling(WireValue value, String wire) {
        assertThat(value.wire()).isEqualTo(wire);
        assertThat(value).hasToString(wire);
        assertThat(PARSERS.get(value.getClass()).apply(wire)).isEqualTo(value);
        assertThat(JSON.writeValueAsString(value)).isEqualTo("\"" + wire + "\"");
        assertThat(JSON.writeValueAsString(Map.of("status", value))).isEqualTo("{\"status\":\"" + wire + "\"}");
    }

    @Test
    void everyConstantIsListed() {
        List<Object> listed = spellings().map(a -> a.get()[0]).toList();
        Stream.of(VolumeStatus.values(), AttachStatus.values(), MigrationStatus.Standard.values(),
                        MigrationPath.values(), MigrationPhase.values())
                .flatMap(Arrays::stream)
                .forEach(c -> assertThat(listed).as("spelling of %s", c).contains(c));
    }

    @Test
    void unknownSpellingsAreNotGuessed() {
        assertThat(VolumeStatus.fromWire("in_use")).isEmpty();
        assertThat(VolumeStatus.fromWire("IN_USE")).isEmpty();
        assertThat(VolumeStatus.fromWire("Available")).isEmpty();
        assertThat(VolumeStatus.fromWire(null)).isEmpty();
        assertThat(AttachStatus.fromWire("glued")).isEmpty();
        assertThat(MigrationPath.fromWire("DRIVER")).isEmpty();
        assertThat(MigrationPhase.fromWire("waiting_for_compute")).isEmpty();
        assertThat(MigrationStatus.fromWire("none")).isEmpty();
        assertThat(MigrationStatus.fromWire("Starting")).isEmpty();
        assertThatThrownBy(() -> VolumeStatus.parse("bogus")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown VolumeStatus 'bogus'");
        assertThatThrownBy(() -> MigrationPhase.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MigrationStatus.parse("finished")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown MigrationStatus 'finished'");
    }

    @Test
    void targetCarriesItsSourceId() {
        MigrationStatus parsed = MigrationStatus.parse("target:abc-123");
        assertThat(parsed).isInstanceOf(MigrationStatus.Target.class).isEqualTo(MigrationStatus.target("abc-123"));
        assertThat(((MigrationStatus.Target) parsed).sourceId()).isEqualTo("abc-123");
        // Only the first "target:" is the prefix; the rest is the id as stored.
        assertThat(MigrationStatus.parse("target:target:x")).isEqualTo(MigrationStatus.target("target:x"));
        assertThat(MigrationStatus.fromWire("target:")).isEmpty();
        assertThat(MigrationStatus.fromWire("Target:abc")).isEmpty();
        assertThatThrownBy(() -> MigrationStatus.target("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MigrationStatus.target(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(MigrationStatus.target("a")).isNotEqualTo(MigrationStatus.target("b"));
    }

    @Test
    void activeAndTargetAreCindersRules() {
        assertThat(MigrationStatus.ACTIVE).containsExactlyInAnyOrder(MigrationStatus.STARTING,
                MigrationStatus.MIGRATING, MigrationStatus.COMPLETING);
        assertThat(MigrationStatus.isActive(null)).isFalse();
        assertThat(MigrationStatus.isActive(MigrationStatus.SUCCESS)).isFalse();
        assertThat(MigrationStatus.isActive(MigrationStatus.target("x"))).isFalse();
        assertThat(MigrationStatus.isActive(MigrationStatus.parse("completing"))).isTrue();
        assertThat(MigrationStatus.isTarget(MigrationStatus.target("x"))).isTrue();
        assertThat(MigrationStatus.isTarget(MigrationStatus.DELETING)).isFalse();
        assertThat(MigrationStatus.isTarget(null)).isFalse();
        assertThat(MigrationPhase.WAITING_FOR_COMPUTE.inComputeService()).isTrue();
        assertThat(MigrationPhase.COMPUTE_COPYING.inComputeService()).isTrue();
        assertThat(MigrationPhase.COPYING.inComputeService()).isFalse();
    }

    @Test
    void rpcMessagesKeepTheWireSpelling() {
        String json = JSON.writeValueAsString(new UpdateMigrated("a", "b", VolumeStatus.IN_USE));
        assertThat(json).contains("\"originalStatus\":\"in-use\"");
        assertThat(JSON.readValue(json, UpdateMigrated.class).originalStatus()).isEqualTo(VolumeStatus.IN_USE);
        assertThat(JSON.readValue("{\"volumeId\":\"a\",\"newVolumeId\":\"b\",\"originalStatus\":null}",
                UpdateMigrated.class).originalStatus()).isNull();
    }
}
