package org.openstack.jcinder.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.common.CommonContextTestBase.CommonOnly;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.exception.ServiceTooOldException;
import org.openstack.jcinder.common.exception.UnsupportedRpcVersionException;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rolling upgrade on real PostgreSQL and RabbitMQ: a volume service that announces (and serves) an older API
 * version than this code's newest. With {@code [upgrade_levels] volume = auto} the caller caps its messages to the
 * services table's lowest {@code rpc_current_version}: the old service gets what it understands, and a request
 * only the newer version has is refused before sending. A caller pinned above it is refused by the old service
 * itself, and the refusal comes back as the call's error.
 */
class RollingUpgradeRpcTest {

    private static final String OLD = "3.5";

    @TempDir
    static Path dir;
    static ConfigurableApplicationContext ctx;

    private final RequestContext rc = new RequestContext("req-" + UUID.randomUUID(), "admin", "p1", List.of());

    @BeforeAll
    static void start() {
        Path conf = CinderConfFile.onLocalServices(dir, "rpc_response_timeout = 10", "[upgrade_levels]",
                "volume = auto", "scheduler = auto");
        ctx = CinderServiceLauncher.run(CommonOnly.class, CinderConfig.load(conf), false, new String[0]);
    }

    @AfterAll
    static void stop() {
        if (ctx != null) {
            ctx.close();
        }
    }

    /**
     * An old cinder-volume: registered at {@value #OLD}, serving the methods it had then at {@value #OLD} (plus
     * migration_plan, which it would not have: the version check must stop it first). Every message it handles
     * is recorded.
     */
    private BackendHost oldVolumeService(BlockingQueue<String> seen) {
        String serviceHost = "old-" + UUID.randomUUID().toString().substring(0, 8) + "@lvm";
        ctx.getBean(ServiceRegistry.class).register(ServiceRegistry.VOLUME_BINARY, serviceHost, RpcTopics.VOLUME,
                "nova", OLD);
        RpcDispatcher d = new RpcDispatcher("cinder-volume " + serviceHost, VolumeRpcApi.VERSION)
                .register(VolumeRpcApi.TERMINATE_CONNECTION, VolumeRpcApi.VolumeRef.class, (c, a) -> {
                    seen.add("terminate " + a.volumeId());
                    return null;
                })
                .register(VolumeRpcApi.EXTEND_VOLUME, VolumeRpcApi.ExtendVolume.class, (c, a) -> {
                    seen.add("extend " + a.volumeId() + " " + a.newSize());
                    return null;
                })
                .register(VolumeRpcApi.DELETE_VOLUME, JsonNode.class, (c, a) -> {
                    seen.add("delete " + a);
                    return null;
                })
                .register(VolumeRpcApi.MIGRATION_PLAN, VolumeRpcApi.MigrateVolume.class, (c, a) -> {
                    seen.add("plan " + a.volumeId());
                    return new VolumeRpcApi.MigrationPlan("generic", Map.of(), 0);
                })
                .register(VolumeRpcApi.MIGRATE_VOLUME_REVERT, VolumeRpcApi.MigrationRevert.class, (c, a) -> {
                    seen.add("revert " + a.volumeId());
                    return null;
                });
        ctx.getBean(RpcServer.class).serve(RpcTopics.volume(serviceHost), d.servingAt(OLD), 1);
        ctx.getBean(RpcVersionCaps.class).reset();
        return BackendHost.parse(serviceHost + "#pool");
    }

    private static VolumeRpcApi.MigrateVolume migration(String volumeId) {
        return new VolumeRpcApi.MigrateVolume(volumeId, "new@lvm#pool", Map.of(), false, null, null);
    }

    @Test
    void withAutoTheOldServiceGetsWhatItUnderstandsAndANewerOnlyRequestIsRefusedBeforeSending() throws Exception {
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(20);
        BackendHost old = oldVolumeService(seen);
        // A newer service of the same binary: the lowest version decides.
        String newHost = "new-" + UUID.randomUUID().toString().substring(0, 8) + "@lvm";
        ctx.getBean(ServiceRegistry.class).register(ServiceRegistry.VOLUME_BINARY, newHost, RpcTopics.VOLUME, "nova",
                VolumeRpcApi.VERSION);
        ctx.getBean(RpcServer.class).serve(RpcTopics.volume(newHost), new RpcDispatcher("cinder-volume " + newHost,
                VolumeRpcApi.VERSION).register(VolumeRpcApi.DELETE_VOLUME, VolumeRpcApi.DeleteVolume.class, (c, a) -> {
                    seen.add("new delete " + a.volumeId() + " cascade=" + a.cascade());
                    return null;
                }), 1);
        assertThat(ctx.getBean(RpcVersionCaps.class).cap(ServiceRegistry.VOLUME_BINARY, VolumeRpcApi.VERSION))
                .isEqualTo(OLD);
        VolumeRpcApi api = ctx.getBean(VolumeRpcApi.class);

        api.terminateConnection(rc, old, "v1"); // a call: it returns only if the old service accepted it
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("terminate v1");
        api.extendVolume(rc, old, "v1", 2);
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("extend v1 2");

        // delete_volume with cascade needs 3.9: refused here; without it, sent at 3.0 without the argument.
        assertThatThrownBy(() -> api.deleteVolume(rc, old, "v1", true))
                .isInstanceOf(ServiceTooOldException.class).hasMessageContaining("cascade");
        api.deleteVolume(rc, old, "v2", false);
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("delete {\"volumeId\":\"v2\"}");
        // The newer service gets the same older form too, and reads the missing argument as its default.
        api.deleteVolume(rc, BackendHost.parse(newHost + "#pool"), "v5", false);
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("new delete v5 cascade=false");

        // migration_plan (3.11) and migrate_volume_revert (3.11): refused with Cinder's error, nothing sent.
        assertThatThrownBy(() -> api.migrationPlan(rc, old, migration("v3")))
                .isInstanceOfSatisfying(ServiceTooOldException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessageContaining("too old to accept the migration_plan request")
                .hasMessageContaining("needs RPC API version 3.11")
                .hasMessageContaining("pinned to " + OLD);
        assertThatThrownBy(() -> api.migrateVolumeRevert(rc, old, new VolumeRpcApi.MigrationRevert("v3", "m1")))
                .isInstanceOf(ServiceTooOldException.class);
        api.extendVolume(rc, old, "v4", 3);
        assertThat(seen.poll(10, TimeUnit.SECONDS)).as("the refused requests never reached the service")
                .isEqualTo("extend v4 3");
    }

    @Test
    void aCallerPinnedAboveTheOldServiceIsRefusedByItAndGetsTheErrorBack() throws Exception {
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(20);
        BackendHost old = oldVolumeService(seen);
        // A process whose [upgrade_levels] volume names the newest version although an old service runs.
        CinderConfig pinned = ctx.getBean(CinderConfig.class).with(
                org.openstack.jcinder.common.config.CinderOptions.UPGRADE_LEVELS_VOLUME, VolumeRpcApi.VERSION);
        RpcClient client = new RpcClient(ctx.getBean(RabbitTemplate.class), ctx.getBean(ConnectionFactory.class),
                ctx.getBean(RpcTopology.class), ctx.getBean(JsonMapper.class), pinned, ctx.getBean(RpcMetrics.class),
                new RpcVersionCaps(pinned, ctx.getBeanProvider(ServiceRepository.class)));
        VolumeRpcApi forced = new VolumeRpcApi(client);

        assertThatThrownBy(() -> forced.migrationPlan(rc, old, migration("v1")))
                .isInstanceOf(UnsupportedRpcVersionException.class)
                .hasMessage("RPC method migration_plan requested at version 3.11 but this service implements " + OLD);
        // Methods the old service has still work: each goes out at its own version.
        forced.terminateConnection(rc, old, "v2");
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("terminate v2");
        // A cast it cannot serve has nobody to answer: the service refuses it (logged), it is not executed.
        forced.migrateVolumeRevert(rc, old, new VolumeRpcApi.MigrationRevert("v3", "m1"));
        forced.extendVolume(rc, old, "v4", 3);
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("extend v4 3");
        assertThat(seen).isEmpty();
    }

    @Test
    void theAutoCapFollowsTheServicesTable() {
        RpcVersionCaps caps = ctx.getBean(RpcVersionCaps.class);
        ServiceRegistry registry = ctx.getBean(ServiceRegistry.class);
        ServiceRepository rows = ctx.getBean(ServiceRepository.class);
        String binary = ServiceRegistry.SCHEDULER_BINARY;
        caps.reset();
        assertThat(caps.cap(binary, SchedulerRpcApi.VERSION)).as("no scheduler yet: the newest")
                .isEqualTo(SchedulerRpcApi.VERSION);

        ServiceEntity sched = registry.register(binary, "sched-old", RpcTopics.SCHEDULER, "nova", "3.3");
        assertThat(sched.getRpcCurrentVersion()).isEqualTo("3.3");
        assertThat(rows.findById(sched.getId()).orElseThrow().getRpcCurrentVersion()).isEqualTo("3.3");
        caps.reset();
        assertThat(caps.cap(binary, SchedulerRpcApi.VERSION)).isEqualTo("3.3");
        // check_migration_destination came in 3.4: refused before sending (no scheduler listens here anyway).
        SchedulerRpcApi.MigrateVolumeRequest request = new SchedulerRpcApi.MigrateVolumeRequest("v1", "h@b#p",
                false, 1, Map.of(), null);
        assertThatThrownBy(() -> ctx.getBean(SchedulerRpcApi.class).checkMigrationDestination(rc, request))
                .isInstanceOf(ServiceTooOldException.class)
                .hasMessageContaining("cinder-scheduler services is too old to accept the check_migration_destination");

        // The old scheduler upgrades: the cached pin stays (auto_refresh_interval = 0, as Cinder) until reset.
        registry.register(binary, "sched-old", RpcTopics.SCHEDULER, "nova", SchedulerRpcApi.VERSION);
        assertThat(caps.cap(binary, SchedulerRpcApi.VERSION)).isEqualTo("3.3");
        caps.reset();
        assertThat(caps.cap(binary, SchedulerRpcApi.VERSION)).isEqualTo(SchedulerRpcApi.VERSION);

        // A deleted row does not pin; a row that never recorded its version refuses to be guessed.
        ServiceEntity stale = registry.register(binary, "sched-stale", RpcTopics.SCHEDULER, "nova", "3.0");
        stale.setDeleted(true);
        rows.saveAndFlush(stale);
        caps.reset();
        assertThat(caps.cap(binary, SchedulerRpcApi.VERSION)).isEqualTo(SchedulerRpcApi.VERSION);
        ServiceEntity legacy = registry.register(binary, "sched-legacy", RpcTopics.SCHEDULER, "nova");
        caps.reset();
        assertThatThrownBy(() -> caps.cap(binary, SchedulerRpcApi.VERSION))
                .isInstanceOf(ServiceTooOldException.class).hasMessageContaining("sched-legacy");
        legacy.setDeleted(true);
        rows.saveAndFlush(legacy);
        caps.reset();
    }
}
