package org.openstack.jcinder.all.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.all.EmbeddedCompute;
import org.openstack.jcinder.compute.manager.VolumeSwapService;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.openstack.jcinder.compute.virt.simulated.JournalWorkload;
import org.openstack.jcinder.compute.virt.simulated.SimulatedHypervisor;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.HttpJson;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The attached path end to end with the compute service of this project (simulated hypervisor, journaling
 * guest) on real PostgreSQL and RabbitMQ: Cinder asks Nova's API to swap, the compute manager mirrors the
 * running guest's disk and pivots, Nova calls the completion back, and every write the guest had acknowledged
 * is on the new volume. Also Nova's own refusals, and a domain that vanishes in the middle of the copy.
 */
class AttachedMigrationEndToEndTest {

    static final String ADMIN = "admin:proj-c";
    static final String USER = "alice:proj-c";
    static final long GIB = 1L << 30;
    static final long PATTERN_AT = 768L << 20;

    @TempDir
    static Path dir;
    static Path data;
    static String host;
    static ConfigurableApplicationContext all;
    static HttpJson cinder;
    static HttpJson nova;
    static SimulatedHypervisor hypervisor;
    static VolumeSwapService swaps;

    @BeforeAll
    static void start() throws Exception {
        host = "att-" + UUID.randomUUID().toString().substring(0, 8);
        data = dir.resolve("data");
        Path cinderConf = TwoFileBackends.cinderConf(dir, host, 0);
        Path novaConf = CinderConfFile.write(dir, "nova.conf", String.join("\n",
                "[DEFAULT]",
                "compute_driver = simulated",
                "osapi_compute_listen_port = 0",
                "[simulated]",
                "guest_workload = journal",
                "[compute]",
                // 1 GiB in about 4 s: long enough for the guest to write throughout and for a test to interfere.
                "swap_volume_bandwidth = 268435456"));
        all = CinderAllApplication.start(new String[] {"--config-file", cinderConf.toString(),
                "--compute-config-file", novaConf.toString(), "--data-dir", data.toString()});
        cinder = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer().getPort());
        EmbeddedCompute compute = all.getBean(EmbeddedCompute.class);
        nova = new HttpJson(compute.endpoint().replace("/v2.1", ""));
        hypervisor = (SimulatedHypervisor) compute.context().getBean(HypervisorDriver.class);
        swaps = compute.context().getBean(VolumeSwapService.class);
        await("both pools", () -> cinder.get(ADMIN, "/v3/scheduler-stats/get_pools"),
                r -> r.status() == 200 && r.body().get("pools").size() == 2);
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
    }

    @Test
    void anAttachedVolumeMovesUnderItsRunningGuestAndNoAcknowledgedWriteIsLost() throws Exception {
        String server = activeServer("db-1");
        String volume = availableVolume(1);
        byte[] pattern = writePattern(volumeFile("f1", volume));
        JsonNode attachment = nova.post(USER, "/v2.1/servers/" + server + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}").body().get("volumeAttachment");
        assertThat(attachment.get("device").asString()).isEqualTo("/dev/vdb");
        assertThat(volumeView(volume).get("status").asString()).isEqualTo("in-use");
        JournalWorkload guest = hypervisor.workload(server, "vdb").orElseThrow();
        awaitRecords(guest, 100);

        long acknowledgedAtRequest = guest.acknowledged();
        HttpJson.Response migrate = cinder.post(ADMIN, "/v3/volumes/" + volume + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@f2#f2\"}}");
        assertThat(migrate.status()).isEqualTo(202);
        // While Nova's block job runs, Cinder's view shows how far it is (reported by the compute service).
        JsonNode copying = await("compute progress in the migration resource",
                () -> cinder.get(ADMIN, "/v3/volumes/" + volume + "/migration"),
                r -> r.body().path("migration").path("bytes_copied").asLong() > 0)
                .body().get("migration");
        assertThat(copying.get("path").asString()).isEqualTo("attached");
        assertThat(copying.get("bytes_total").asLong()).isEqualTo(GIB);
        JsonNode done = await("migration success", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> "success".equals(text(r.body().get("volume"), "os-vol-mig-status-attr:migstat")),
                Duration.ofSeconds(90)).body().get("volume");
        long acknowledgedAtCompletion = guest.acknowledged();

        // Cinder: same id, same attachment to the same server, now on f2, data under the temporary's name.
        assertThat(done.get("id").asString()).isEqualTo(volume);
        assertThat(done.get("status").asString()).isEqualTo("in-use");
        assertThat(done.get("os-vol-host-attr:host").asString()).isEqualTo(host + "@f2#f2");
        String nameId = done.get("os-vol-mig-status-attr:name_id").asString();
        assertThat(nameId).isNotEqualTo(volume);
        assertThat(done.get("attachments")).hasSize(1);
        assertThat(done.get("attachments").get(0).get("server_id").asString()).isEqualTo(server);
        assertThat(migrationOf(done).get("path").asString()).isEqualTo("attached");

        // Nova: the server still lists the volume under its id; the domain's disk is the new file.
        JsonNode listed = nova.get(USER, "/v2.1/servers/" + server + "/os-volume_attachments").body()
                .get("volumeAttachments");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("volumeId").asString()).isEqualTo(volume);
        Path newFile = volumeFile("f2", nameId);
        assertThat(hypervisor.disk(server, "vdb").orElseThrow().source()).isEqualTo(newFile);
        await("old copy deleted", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> !Files.exists(volumeFile("f1", volume)));

        // The guest wrote through the whole migration, and all it was told was durable is on the new volume.
        assertThat(acknowledgedAtCompletion).isGreaterThan(acknowledgedAtRequest);
        assertThat(guest.failure()).isNull();
        long acknowledged = guest.acknowledged();
        assertThat(JournalWorkload.verify(newFile, GIB, acknowledged)).as("first lost record of " + acknowledged)
                .isZero();
        assertThat(read(newFile, PATTERN_AT, pattern.length)).isEqualTo(pattern);
    }

    @Test
    void theSwapIsRefusedTheWayNovaRefusesIt() {
        String server = activeServer("checks");
        String attached = availableVolume(2);
        String small = availableVolume(1);
        nova.post(USER, "/v2.1/servers/" + server + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + attached + "\"}}");
        String swapPath = "/v2.1/servers/" + server + "/os-volume_attachments/" + attached;
        String toSmall = "{\"volumeAttachment\": {\"volumeId\": \"" + small + "\"}}";

        assertError(nova.put(USER, swapPath, toSmall), 403, "forbidden", "os-volumes-attachments:swap");
        assertError(nova.put(ADMIN, "/v2.1/servers/" + UUID.randomUUID() + "/os-volume_attachments/" + attached,
                toSmall), 404, "itemNotFound", "could not be found");
        assertError(nova.put(ADMIN, swapPath, toSmall), 409, "conflictingRequest",
                "volume " + attached + " is not migrating; this API should only be called by Cinder");
        assertError(nova.put(ADMIN, swapPath, "{\"volumeAttachment\": {}}"), 400, "badRequest", "volumeId");

        // Past the migration check (Cinder's reset-status marks it), the new volume's checks.
        for (String v : new String[] {attached, small}) {
            cinder.post(ADMIN, "/v3/volumes/" + v + "/action",
                    "{\"os-reset_status\": {\"migration_status\": \"migrating\"}}");
        }
        try {
            assertError(nova.put(ADMIN, swapPath, toSmall), 400, "badRequest",
                    "New volume must be the same size or larger.");
            assertError(nova.put(ADMIN, swapPath, "{\"volumeAttachment\": {\"volumeId\": \"" + UUID.randomUUID()
                    + "\"}}"), 400, "badRequest", "could not be found");
            assertError(nova.put(ADMIN, "/v2.1/servers/" + server + "/os-volume_attachments/" + small,
                    "{\"volumeAttachment\": {\"volumeId\": \"" + attached + "\"}}"), 400, "badRequest",
                    "volume " + small + " is not attached to instance " + server);
        } finally {
            for (String v : new String[] {attached, small}) {
                cinder.post(ADMIN, "/v3/volumes/" + v + "/action",
                        "{\"os-reset_status\": {\"migration_status\": \"none\"}}");
            }
        }
        // Cinder's progress extension takes reports only from admins/services, for a running attached migration.
        String report = "{\"os-migrate_volume_progress\": {\"new_volume\": \"" + small
                + "\", \"bytes_copied\": 1, \"bytes_total\": 2}}";
        HttpJson.Response byUser = cinder.post(USER, "/v3/volumes/" + attached + "/action", report);
        assertThat(byUser.status()).as(byUser.raw()).isEqualTo(403);
        HttpJson.Response noMigration = cinder.post(ADMIN, "/v3/volumes/" + attached + "/action", report);
        assertThat(noMigration.status()).as(noMigration.raw()).isEqualTo(400);
        assertThat(noMigration.raw()).contains("has no attached migration to " + small + " in progress");
        HttpJson.Response negative = cinder.post(ADMIN, "/v3/volumes/" + attached + "/action",
                report.replace("\"bytes_copied\": 1", "\"bytes_copied\": -1"));
        assertThat(negative.status()).as(negative.raw()).isEqualTo(400);

        // Nothing was reserved by the refusals: the small volume is still available, the server unchanged.
        assertThat(volumeView(small).get("status").asString()).isEqualTo("available");
        assertThat(hypervisor.disk(server, "vdb").orElseThrow().serial()).isEqualTo(attached);
    }

    @Test
    void aDomainThatVanishesMidCopyLeavesTheVolumeAttachedWhereItWas() throws Exception {
        String server = activeServer("vanishing");
        String volume = availableVolume(1);
        byte[] pattern = writePattern(volumeFile("f1", volume));
        nova.post(USER, "/v2.1/servers/" + server + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}");
        assertThat(cinder.post(ADMIN, "/v3/volumes/" + volume + "/action",
                "{\"os-migrate_volume\": {\"host\": \"" + host + "@f2#f2\"}}").status()).isEqualTo(202);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!swaps.swapping(server, volume) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(swaps.swapping(server, volume)).as("swap started").isTrue();
        Thread.sleep(300);
        hypervisor.destroy(server);

        JsonNode v = await("migration error", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> "error".equals(text(r.body().get("volume"), "os-vol-mig-status-attr:migstat")),
                Duration.ofSeconds(60)).body().get("volume");
        assertThat(v.get("status").asString()).isEqualTo("in-use");
        assertThat(v.get("os-vol-host-attr:host").asString()).isEqualTo(host + "@f1#f1");
        assertThat(v.get("attachments")).hasSize(1);
        assertThat(read(volumeFile("f1", volume), PATTERN_AT, pattern.length)).isEqualTo(pattern);
        String target = migrationOf(v).path("target_volume_id").asString(null);
        await("temporary volume gone", () -> cinder.get(ADMIN, "/v3/volumes/detail?all_tenants=1"),
                r -> r.body().get("volumes").valueStream().noneMatch(x -> text(x,
                        "os-vol-mig-status-attr:migstat") != null && text(x, "os-vol-mig-status-attr:migstat")
                        .startsWith("target:")));
        if (target != null) {
            assertThat(volumeFile("f2", target)).doesNotExist();
        }
    }

    @Test
    void anAttachedMigrationIsThrottledAndCancelledThroughCinder() throws Exception {
        String server = activeServer("throttled");
        String volume = availableVolume(1);
        byte[] pattern = writePattern(volumeFile("f1", volume));
        nova.post(USER, "/v2.1/servers/" + server + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}");
        JournalWorkload guest = hypervisor.workload(server, "vdb").orElseThrow();
        String action = "/v3/volumes/" + volume + "/action";
        // 16 MiB/s: a minute for 1 GiB, while the host's own cap would allow 256 MiB/s.
        assertThat(cinder.post(ADMIN, action, "{\"os-migrate_volume\": {\"host\": \"" + host
                + "@f2#f2\", \"bps_limit\": 16777216}}").status()).isEqualTo(202);
        awaitCondition("the compute service copying at the migration's limit",
                () -> swaps.bandwidth(server, volume).orElse(-1) == 16777216L);

        assertThat(cinder.post(ADMIN, action, "{\"os-migrate_volume_update\": {\"bps_limit\": 8388608}}")
                .status()).isEqualTo(202);
        awaitCondition("the new limit applied to the running block copy",
                () -> swaps.bandwidth(server, volume).orElse(-1) == 8388608L);
        assertThat(migrationOf(volumeView(volume)).get("bps_limit").asLong())
                .isEqualTo(8388608L);

        assertThat(cinder.post(ADMIN, action, "{\"os-migrate_volume_cancel\": {}}").status()).isEqualTo(202);
        JsonNode v = await("migration cancelled", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> "error".equals(text(r.body().get("volume"), "os-vol-mig-status-attr:migstat")),
                Duration.ofSeconds(30)).body().get("volume");
        assertThat(migrationOf(v).get("detail").asString()).isEqualTo("cancelled");
        assertThat(v.get("status").asString()).isEqualTo("in-use");
        assertThat(v.get("os-vol-host-attr:host").asString()).isEqualTo(host + "@f1#f1");
        assertThat(hypervisor.disk(server, "vdb").orElseThrow().source()).isEqualTo(volumeFile("f1", volume));
        assertThat(read(volumeFile("f1", volume), PATTERN_AT, pattern.length)).isEqualTo(pattern);
        long acknowledged = guest.acknowledged();
        assertThat(JournalWorkload.verify(volumeFile("f1", volume), GIB, acknowledged)).isZero();
        await("temporary volume deleted", () -> cinder.get(ADMIN, "/v3/volumes/detail?all_tenants=1"),
                r -> r.body().get("volumes").valueStream().noneMatch(x -> ("target:" + volume).equals(text(x,
                        "os-vol-mig-status-attr:migstat"))));
    }

    static void awaitCondition(String what, java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void anAttachedVolumeIsExtendedAndTheGuestSeesTheNewSize() throws Exception {
        String server = activeServer("growing");
        String volume = availableVolume(1);
        nova.post(USER, "/v2.1/servers/" + server + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}");
        String extend = "{\"os-extend\": {\"new_size\": 2}}";
        String action = "/v3/volumes/" + volume + "/action";
        // Before 3.42 Cinder extends only available volumes.
        HttpJson.Response old = cinder.send(USER, "POST", action, extend, "3.41");
        assertThat(old.status()).as(old.raw()).isEqualTo(400);
        assertThat(old.raw()).contains("status must be 'available' to extend, currently in-use");

        HttpJson.Response accepted = cinder.send(USER, "POST", action, extend, "3.42");
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        await("extended and still in-use", () -> cinder.get(ADMIN, "/v3/volumes/" + volume),
                r -> r.body().get("volume").get("size").asInt() == 2
                        && "in-use".equals(text(r.body().get("volume"), "status")));
        awaitCondition("the guest seeing 2 GiB", () -> hypervisor.diskSize(server, "vdb").orElse(0) == 2 * GIB);
        // The guest can use the new space: a write past the old end lands in the volume.
        byte[] tail = new byte[4096];
        new Random(3).nextBytes(tail);
        hypervisor.guestWrite(server, "vdb", 2 * GIB - tail.length, tail);
        assertThat(read(volumeFile("f1", volume), 2 * GIB - tail.length, tail.length)).isEqualTo(tail);
    }

    @Test
    void externalEventsAreForServicesAndAnswerPerEvent() {
        String server = activeServer("events");
        String event = "{\"events\": [{\"name\": \"volume-extended\", \"server_uuid\": \"%s\", \"tag\": "
                + "\"%s\"}]}";
        String path = "/v2.1/os-server-external-events";
        String unknownVolume = event.formatted(server, UUID.randomUUID());
        assertError(nova.send(ADMIN, "POST", path, unknownVolume, null), 400, "badRequest", "2.51");
        assertError(nova.send(USER, "POST", path, unknownVolume, "compute 2.51"), 403, "forbidden",
                "os-server-external-events:create");
        HttpJson.Response noServer = nova.send(ADMIN, "POST", path, event.formatted(UUID.randomUUID(),
                UUID.randomUUID()), "compute 2.51");
        assertThat(noServer.status()).as(noServer.raw()).isEqualTo(404);
        assertThat(noServer.body().get("events").get(0).get("code").asInt()).isEqualTo(404);
        HttpJson.Response notAttached = nova.send(ADMIN, "POST", path, unknownVolume, "compute 2.51");
        assertThat(notAttached.body().get("events").get(0).get("status").asString()).isEqualTo("failed");
    }

    @Test
    void serversAndAttachmentsAnswerLikeNova() {
        assertError(nova.post(USER, "/v2.1/servers", "{\"server\": {\"flavorRef\": \"1\"}}"), 400, "badRequest",
                "'name' is a required property");
        assertError(nova.get(USER, "/v2.1/servers/" + UUID.randomUUID()), 404, "itemNotFound", "could not be found");
        assertError(nova.get(null, "/v2.1/servers"), 401, "unauthorized", "X-Auth-Token");
        String first = activeServer("a");
        String second = activeServer("b");
        String volume = availableVolume(1);
        String attach = "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}";
        assertThat(nova.post(USER, "/v2.1/servers/" + first + "/os-volume_attachments", attach).status())
                .isEqualTo(200);
        assertError(nova.post(USER, "/v2.1/servers/" + second + "/os-volume_attachments", attach), 400,
                "badRequest", "Invalid volume");
        assertThat(hypervisor.disk(second, "vdb")).isEmpty();

        assertThat(nova.delete(USER, "/v2.1/servers/" + first + "/os-volume_attachments/" + volume).status())
                .isEqualTo(202);
        assertThat(volumeView(volume).get("status").asString()).isEqualTo("available");
        assertThat(hypervisor.disk(first, "vdb")).isEmpty();

        nova.post(USER, "/v2.1/servers/" + second + "/os-volume_attachments", attach);
        assertThat(volumeView(volume).get("status").asString()).isEqualTo("in-use");
        JsonNode shown = nova.get(USER, "/v2.1/servers/" + second).body().get("server");
        assertThat(shown.get("os-extended-volumes:volumes_attached").get(0).get("id").asString()).isEqualTo(volume);
        assertThat(nova.delete(USER, "/v2.1/servers/" + second).status()).isEqualTo(204);
        assertThat(volumeView(volume).get("status").asString()).isEqualTo("available");
        assertThat(nova.get(USER, "/v2.1/servers/" + second).status()).isEqualTo(404);
    }

    // --- helpers ---

    static String activeServer(String name) {
        HttpJson.Response r = nova.post(USER, "/v2.1/servers", "{\"server\": {\"name\": \"" + name
                + "\", \"flavorRef\": \"1\", \"imageRef\": \"none\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("server").get("id").asString();
        await("server ACTIVE", () -> nova.get(USER, "/v2.1/servers/" + id),
                x -> "ACTIVE".equals(text(x.body().path("server"), "status")));
        return id;
    }

    static String availableVolume(int sizeGb) {
        HttpJson.Response r = cinder.post(USER, "/v3/volumes", "{\"volume\": {\"size\": " + sizeGb + "}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("volume").get("id").asString();
        await("volume available", () -> cinder.get(ADMIN, "/v3/volumes/" + id),
                x -> "available".equals(text(x.body().path("volume"), "status")));
        assertThat(volumeView(id).get("os-vol-host-attr:host").asString()).isEqualTo(host + "@f1#f1");
        return id;
    }

    static JsonNode volumeView(String id) {
        return cinder.get(ADMIN, "/v3/volumes/" + id).body().get("volume");
    }

    static Path volumeFile(String backend, String nameId) {
        return data.resolve("volumes").resolve(backend).resolve("volume-" + nameId);
    }

    static byte[] writePattern(Path file) throws Exception {
        byte[] pattern = new byte[1 << 20];
        new Random(42).nextBytes(pattern);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(PATTERN_AT);
            f.write(pattern);
        }
        return pattern;
    }

    static byte[] read(Path file, long offset, int length) throws Exception {
        byte[] out = new byte[length];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(offset);
            f.readFully(out);
        }
        return out;
    }

    static void awaitRecords(JournalWorkload guest, long count) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (guest.acknowledged() < count && guest.failure() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(guest.acknowledged()).isGreaterThanOrEqualTo(count);
    }

    static void assertError(HttpJson.Response r, int status, String kind, String message) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.body().get(kind).get("code").asInt()).isEqualTo(status);
        assertThat(r.body().get(kind).get("message").asString()).contains(message);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    static HttpJson.Response await(String what, Supplier<HttpJson.Response> call, Predicate<HttpJson.Response> ok) {
        return Await.until(what, call, ok);
    }

    static HttpJson.Response await(String what, Supplier<HttpJson.Response> call, Predicate<HttpJson.Response> ok,
                                   Duration timeout) {
        return Await.until(what, call, ok, timeout);
    }


    /** The volume's latest migration ({@code GET /volumes/{id}/migration}, admin), for a volume view. */
    private static JsonNode migrationOf(JsonNode volumeView) {
        return cinder.get(ADMIN, "/v3/volumes/" + volumeView.get("id").asString() + "/migration").body()
                .get("migration");
    }
}
