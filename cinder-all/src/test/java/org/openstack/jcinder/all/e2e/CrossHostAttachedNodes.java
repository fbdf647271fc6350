package org.openstack.jcinder.all.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.api.CinderApiApplication;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.compute.NovaComputeApplication;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.openstack.jcinder.compute.virt.simulated.JournalWorkload;
import org.openstack.jcinder.compute.virt.simulated.SimulatedHypervisor;
import org.openstack.jcinder.scheduler.CinderSchedulerApplication;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.NamespaceNetwork;
import org.openstack.jcinder.testsupport.NodeProcess;
import org.openstack.jcinder.testsupport.TestServices;
import org.openstack.jcinder.testsupport.Tgtd;
import org.openstack.jcinder.volume.CinderVolumeApplication;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * The set-up of the attached cross-host tests ({@code docs/multi-host.md}, "Attached volumes across nodes"):
 * storage nodes A and B in their own namespaces with their own tgtd and cinder-volume JVM
 * ({@code target_helper = tgtadm}), the API, the scheduler and a compute service in this JVM, i.e. on the
 * compute node C = the root namespace, which reaches the nodes' portals through the bridge. The source node calls
 * the compute API for the swap through a relay on the bridge.
 */
abstract class CrossHostAttachedNodes {

    static final String ADMIN = "admin:proj-x";
    static final long GIB = 1L << 30;
    static final long PATTERN_AT = 700L << 20;

    @TempDir
    static Path dir;
    static String run = UUID.randomUUID().toString().substring(0, 8);
    static NamespaceNetwork net;
    static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    static Tgtd tgtdA;
    static Tgtd tgtdB;
    static NodeProcess nodeA;
    static NodeProcess nodeB;
    static HttpJson cinder;
    static HttpJson nova;
    static ConfigurableApplicationContext computeContext;

    /**
     * Nodes A and B, the API, the scheduler and a compute service configured with {@code defaults} in its
     * {@code [DEFAULT]} section and {@code sections} after it.
     */
    static void startNodes(List<String> defaults, List<String> sections) throws Exception {
        Tgtd.assumeAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/usr/bin/qemu-storage-daemon"))
                && Files.exists(Path.of("/dev/fuse")) || "1".equals(System.getenv("CINDER_TEST_REQUIRE_ISCSI")),
                "the compute side's initiator needs qemu-storage-daemon and /dev/fuse");
        net = NamespaceNetwork.create("a", "b");
        String database = TestServices.freshDatabase();
        String transport = TestServices.transportUrl();
        net.relay(URI.create(database.replace("postgresql://", "http://")).getPort());
        net.relay(URI.create(transport.replace("rabbit://", "http://")).getPort());
        // The source node calls the compute API for the swap: it listens on loopback, reached through a relay.
        int novaPort = freePort();
        int cinderPort = freePort();
        net.relay(novaPort);
        tgtdA = Tgtd.start(net.node("a").netns(), net.node("a").address(), 3260);
        tgtdB = Tgtd.start(net.node("b").netns(), net.node("b").address(), 3260);

        String common = "report_interval = 1\nservice_down_time = 20\nrpc_response_timeout = 60\n";
        String viaBridge = "transport_url = " + transport.replace("127.0.0.1", net.bridgeAddress()) + "\n" + common
                + "osapi_volume_listen_port = 0\n[database]\nconnection = "
                + database.replace("127.0.0.1", net.bridgeAddress()) + "\n[nova]\nendpoint_override = http://"
                + net.bridgeAddress() + ":" + novaPort + "/v2.1\n";
        nodeA = startNode("a", tgtdA, viaBridge);
        nodeB = startNode("b", tgtdB, viaBridge);

        String local = "transport_url = " + transport + "\n" + common + "[database]\nconnection = " + database
                + "\n[nova]\nendpoint_override = http://127.0.0.1:" + novaPort + "/v2.1\n";
        contexts.add(start(CinderSchedulerApplication.class, "scheduler.conf",
                "[DEFAULT]\nhost = sched-" + run + "\nosapi_volume_listen_port = 0\n" + local, false));
        contexts.add(start(CinderApiApplication.class, "api.conf",
                "[DEFAULT]\nhost = api-" + run + "\nosapi_volume_listen_port = " + cinderPort + "\n" + local, true));
        cinder = new HttpJson("http://127.0.0.1:" + cinderPort);
        List<String> novaConf = new ArrayList<>(List.of("[DEFAULT]", "host = compute-" + run,
                "osapi_compute_listen_port = " + novaPort));
        novaConf.addAll(defaults);
        novaConf.addAll(List.of("[cinder]", "endpoint_override = http://127.0.0.1:" + cinderPort + "/v3"));
        novaConf.addAll(sections);
        computeContext = NovaComputeApplication.start(NovaConfig.from(IniFile.parse(Path.of("nova.conf"),
                novaConf)));
        contexts.add(computeContext);
        nova = new HttpJson("http://127.0.0.1:" + novaPort);
        await("both nodes' pools reported", () -> cinder.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2, Duration.ofSeconds(180));
    }

    private static NodeProcess startNode(String node, Tgtd tgtd, String viaBridge) throws Exception {
        String conf = "[DEFAULT]\nhost = node-" + node + "-" + run + "\nenabled_backends = " + node + "\n" + viaBridge
                + "[" + node + "]\nvolume_driver = file\nfile_volume_dir = " + dir.resolve(node)
                + "\nfile_volume_capacity_gb = 20\ntarget_helper = tgtadm\ntarget_ip_address = "
                + net.node(node).address() + "\ntarget_port = 3260\ntgt_control_port = " + tgtd.controlPort()
                + "\nvolumes_dir = " + dir.resolve(node + "-exports") + "\n";
        Path file = CinderConfFile.write(dir, "volume-" + node + ".conf", conf);
        return NodeProcess.start(net, node, CinderVolumeApplication.class, file, dir.resolve("node-" + node + ".log"));
    }

    private static ConfigurableApplicationContext start(Class<?> app, String file, String conf, boolean web) {
        Path path = CinderConfFile.write(dir, file, conf);
        return CinderServiceLauncher.run(app, CinderConfig.load(path), web, new String[0]);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
        contexts.clear();
        for (AutoCloseable c : new AutoCloseable[] {nodeA, nodeB, tgtdA, tgtdB, net}) {
            if (c != null) {
                c.close();
            }
        }
        nodeA = nodeB = null;
        tgtdA = tgtdB = null;
        net = null;
    }

    static HttpJson.Response await(String what, java.util.function.Supplier<HttpJson.Response> call,
                                           Predicate<HttpJson.Response> done, Duration timeout) {
        try {
            return Await.until(what, call, done, timeout);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- node A:\n" + nodeA.logTail(4000) + "\n--- node B:\n"
                    + nodeB.logTail(4000), e);
        }
    }

    static JsonNode show(String id) {
        return cinder.get(ADMIN, "/v3/volumes/" + id).body().get("volume");
    }

    static String nameOf(String id) {
        JsonNode nameId = show(id).get("os-vol-mig-status-attr:name_id");
        return nameId != null && nameId.isString() ? nameId.stringValue() : id;
    }

    static JsonNode migrate(String id, String host, boolean forceHostCopy) {
        HttpJson.Response r = cinder.post(ADMIN, "/v3/volumes/" + id + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "\", \"force_host_copy\": " + forceHostCopy + "}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return await("migration of " + id + " finished", () -> cinder.get(ADMIN, "/v3/volumes/" + id), x -> {
            JsonNode ms = x.body().get("volume").get("migration_status");
            return ms.isString() && (ms.stringValue().equals("success") || ms.stringValue().equals("error"));
        }, Duration.ofSeconds(240)).body().get("volume");
    }

    static List<Path> exportFiles(String node) throws Exception {
        Path d = dir.resolve(node + "-exports");
        if (!Files.exists(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }

}
