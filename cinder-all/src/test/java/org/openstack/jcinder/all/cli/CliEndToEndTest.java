package org.openstack.jcinder.all.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.all.EmbeddedCompute;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.testsupport.Await;
import org.openstack.jcinder.testsupport.HttpJson;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Drives the all-in-one with the real OpenStack command-line clients, run as subprocesses: Debian's
 * {@code python3-cinderclient} ({@code cinder}) and {@code python3-openstackclient} ({@code openstack}).
 * The assertions are on what those clients print, so a response the clients cannot digest fails here even when
 * the JSON looks right to a Java client.
 *
 * <p>Authentication follows the service's noauth convention ({@code X-Auth-Token: user:project}, user
 * {@code admin} is an administrator):
 * <ul>
 *   <li>{@code cinder --os-auth-type noauth --os-user-id U --os-project-id P --os-endpoint .../v3} sends
 *       {@code X-Auth-Token: U:P};</li>
 *   <li>{@code openstack --os-cloud jcinder-admin} uses a {@code clouds.yaml} with keystoneauth's
 *       {@code admin_token} plugin: the token is sent verbatim ({@code admin:admin}) and its {@code endpoint}
 *       is used for every service, so no Keystone is needed;</li>
 *   <li>{@code openstack --os-auth-type none --os-endpoint .../v3} sends the fixed token {@code notused}, which
 *       this service reads as user = project = {@code notused}: an ordinary, non-admin project.</li>
 * </ul>
 * {@code openstack volume create} works with both: OSC 6.0 only asks the image service when {@code --image} is
 * given.
 *
 * <p>When a client is not installed the class is skipped, or fails if {@code CINDER_TEST_REQUIRE_CLI=1} (CI).
 */
class CliEndToEndTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final long ONE_GIB = 1L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    /** Why the clients cannot run here (null when both are installed). */
    private static String missingCli;
    private static Path cinderBin;
    private static Path openstackBin;
    private static ConfigurableApplicationContext ctx;
    private static Path dataDir;
    private static Path home;
    private static Path cloudsYaml;
    private static String endpoint;
    private static String host;
    private static CliLauncher launcher;

    @BeforeAll
    static void startAllInOne() throws Exception {
        cinderBin = findCli("cinder", "python3-cinderclient");
        openstackBin = findCli("openstack", "python3-openstackclient");
        if (missingCli != null) {
            if ("1".equals(System.getenv("CINDER_TEST_REQUIRE_CLI"))) {
                fail(missingCli + " and CINDER_TEST_REQUIRE_CLI=1");
            }
            return; // every test is skipped in requireClients(), so the report shows each one as skipped
        }

        dataDir = tmp.resolve("data");
        home = Files.createDirectories(tmp.resolve("home"));
        Path conf = tmp.resolve("cinder.conf");
        Files.writeString(conf, String.join("\n",
                "[DEFAULT]",
                "enabled_backends = file-1, file-2",
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "[management]",
                "port = 0",
                "[file-1]",
                "volume_driver = file",
                "volume_backend_name = file-1",
                "[file-2]",
                "volume_driver = file",
                "volume_backend_name = file-2",
                ""));
        ctx = CinderAllApplication.start(new String[] {"--data-dir", dataDir.toString(), "--config-file",
                conf.toString()});
        int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        endpoint = "http://127.0.0.1:" + port + "/v3";
        host = ctx.getBean(CinderConfig.class).host();

        cloudsYaml = tmp.resolve("clouds.yaml");
        Files.writeString(cloudsYaml, String.join("\n",
                "clouds:",
                cloud("jcinder-admin", "admin:admin"),
                cloud("jcinder-alice", "alice:project-a"),
                cloud("jcinder-bob", "bob:project-b"),
                ""));

        launcher = new CliLauncher(clientEnvironment(), tmp);
        awaitBothPoolsKnownToScheduler();
    }

    @BeforeEach
    void requireClients() {
        Assumptions.assumeTrue(missingCli == null, () -> missingCli);
    }

    @AfterAll
    static void stop() {
        if (launcher != null) {
            launcher.close();
        }
        if (ctx != null) {
            ctx.close();
        }
    }

    // ------------------------------------------------------------------------------------------- cinder

    @Test
    void cinderVersionListShowsV3FromMicroversion30To370() {
        CliResult r = ok(cinder("version-list"));

        List<Map<String, String>> versions = onlyTable(r).rows();
        assertThat(versions).as(r.describe()).hasSize(1);
        Map<String, String> v3 = versions.get(0);
        assertThat(v3).as(r.describe())
                .containsEntry("Id", "v3.0")
                .containsEntry("Status", "CURRENT")
                .containsEntry("Min Version", "3.0")
                .containsEntry("Version", "3.70");
    }

    @Test
    void cinderServiceListShowsSchedulerAndBothVolumeServicesUp() {
        CliResult r = ok(cinder("service-list"));

        Map<String, Map<String, String>> byHost = new LinkedHashMap<>();
        for (Map<String, String> row : onlyTable(r).rows()) {
            byHost.put(row.get("Binary") + " " + row.get("Host"), row);
        }
        assertThat(byHost.keySet()).as(r.describe()).containsExactlyInAnyOrder(
                "cinder-scheduler " + host,
                "cinder-volume " + host + "@file-1",
                "cinder-volume " + host + "@file-2");
        byHost.values().forEach(row -> assertThat(row).as(r.describe())
                .containsEntry("Status", "enabled")
                .containsEntry("State", "up")
                .containsEntry("Zone", "nova"));
    }

    @Test
    void cinderGetPoolsListsBothBackendsWithTheirCapabilities() {
        CliResult brief = ok(cinder("get-pools"));
        List<String> names = tables(brief.stdout()).stream().map(t -> t.properties().get("name")).toList();
        assertThat(names).as(brief.describe())
                .containsExactlyInAnyOrder(host + "@file-1#file-1", host + "@file-2#file-2");

        CliResult detail = ok(cinder("get-pools", "--detail"));
        Map<String, Map<String, String>> pools = new LinkedHashMap<>();
        for (Table t : tables(detail.stdout())) {
            pools.put(t.properties().get("name"), t.properties());
        }
        assertThat(pools.keySet()).as(detail.describe())
                .containsExactlyInAnyOrder(host + "@file-1#file-1", host + "@file-2#file-2");
        for (String backend : List.of("file-1", "file-2")) {
            Map<String, String> pool = pools.get(host + "@" + backend + "#" + backend);
            assertThat(pool).as(detail.describe())
                    .containsEntry("pool_name", backend)
                    .containsEntry("volume_backend_name", backend)
                    .containsKeys("total_capacity_gb", "free_capacity_gb", "allocated_capacity_gb",
                            "reserved_percentage", "storage_protocol", "driver_version", "timestamp");
            assertThat(Double.parseDouble(pool.get("total_capacity_gb"))).as(detail.describe()).isPositive();
            assertThat(Double.parseDouble(pool.get("free_capacity_gb"))).as(detail.describe())
                    .isPositive()
                    .isLessThanOrEqualTo(Double.parseDouble(pool.get("total_capacity_gb")));
        }
    }

    @Test
    void cinderCreatesATypedVolumeOnTheTypesBackendListsAndDeletesIt() {
        String type = unique("cli-gold");
        String name = unique("cli-vol");

        CliResult created = ok(cinder("type-create", type));
        assertThat(onlyTable(created).rows()).as(created.describe())
                .anySatisfy(row -> assertThat(row).containsEntry("Name", type).containsEntry("Is_Public", "True"));
        ok(cinder("type-key", type, "set", "volume_backend_name=file-2"));
        CliResult types = ok(cinder("type-list"));
        assertThat(column(onlyTable(types), "Name")).as(types.describe()).contains(type, "__DEFAULT__");
        CliResult specs = ok(cinder("extra-specs-list"));
        Map<String, String> specsOfType = rowWhere(onlyTable(specs), "Name", type, specs);
        assertThat(specsOfType.get("extra_specs")).as(specs.describe())
                .contains("'volume_backend_name': 'file-2'");

        CliResult create = ok(cinder("create", "1", "--name", name, "--volume-type", type));
        Map<String, String> accepted = onlyTable(create).properties();
        assertThat(accepted).as(create.describe())
                .containsEntry("name", name)
                .containsEntry("size", "1")
                .containsEntry("volume_type", type)
                .containsEntry("os-vol-tenant-attr:tenant_id", "admin")
                .containsEntry("user_id", "admin");
        String id = accepted.get("id");
        assertThat(id).as(create.describe()).matches("[0-9a-f-]{36}");

        Map<String, String> shown = pollCinderShow(name, "available");
        assertThat(shown.get("os-vol-host-attr:host")).endsWith("@file-2#file-2")
                .isEqualTo(host + "@file-2#file-2");
        assertThat(shown).containsEntry("id", id).containsEntry("volume_type", type).containsEntry("size", "1");
        // The file backend's volume: a sparse file of the requested size under state_path/volumes/<backend>.
        Path volumeFile = dataDir.resolve("volumes").resolve("file-2").resolve("volume-" + id);
        assertThat(volumeFile).exists().hasSize(ONE_GIB);

        CliResult list = ok(cinder("list"));
        Map<String, String> row = rowWhere(onlyTable(list), "ID", id, list);
        assertThat(row).as(list.describe())
                .containsEntry("Name", name)
                .containsEntry("Status", "available")
                .containsEntry("Size", "1")
                .containsEntry("Volume Type", type);

        ok(cinder("delete", name));
        pollUntil("volume " + name + " gone from `cinder list`", () -> cinder("list"),
                r -> r.exit() == 0 && !column(onlyTable(r), "ID").contains(id));
        assertThat(volumeFile).doesNotExist();

        ok(cinder("type-delete", type));
        CliResult typesAfter = ok(cinder("type-list"));
        assertThat(column(onlyTable(typesAfter), "Name")).as(typesAfter.describe()).doesNotContain(type);
    }

    @Test
    void cinderCreatesListsAndDeletesAGroupTypeAndAGroup() {
        String groupType = unique("cli-gtype");
        String volumeType = unique("cli-gvt");
        String group = unique("cli-group");
        ok(cinder("type-create", volumeType));
        CliResult created = ok(cinder("--os-volume-api-version", "3.20", "group-type-create", groupType));
        assertThat(column(onlyTable(created), "Name")).as(created.describe()).contains(groupType);
        CliResult types = ok(cinder("--os-volume-api-version", "3.20", "group-type-list"));
        assertThat(column(onlyTable(types), "Name")).as(types.describe()).contains(groupType);

        CliResult made = ok(cinder("--os-volume-api-version", "3.20", "group-create", "--name", group, groupType,
                volumeType));
        String id = onlyTable(made).properties().get("id");
        assertThat(id).as(made.describe()).matches("[0-9a-f-]{36}");
        CliResult list = ok(cinder("--os-volume-api-version", "3.20", "group-list"));
        Map<String, String> row = rowWhere(onlyTable(list), "ID", id, list);
        assertThat(row).as(list.describe()).containsEntry("Name", group).containsEntry("Status", "available");

        ok(cinder("--os-volume-api-version", "3.20", "group-delete", id));
        CliResult after = ok(cinder("--os-volume-api-version", "3.20", "group-list"));
        assertThat(column(onlyTable(after), "ID")).as(after.describe()).doesNotContain(id);
        ok(cinder("--os-volume-api-version", "3.20", "group-type-delete", groupType));
        ok(cinder("type-delete", volumeType));
    }

    @Test
    void cinderCreatesListsAndDeletesAGroupSnapshot() {
        String groupType = unique("cli-gstype");
        String volumeType = unique("cli-gsvt");
        ok(cinder("type-create", volumeType));
        ok(cinder("--os-volume-api-version", "3.14", "group-type-create", groupType));
        String group = onlyTable(ok(cinder("--os-volume-api-version", "3.14", "group-create", "--name",
                unique("cli-gsgroup"), groupType, volumeType))).properties().get("id");
        String volume = onlyTable(ok(cinder("--os-volume-api-version", "3.14", "create", "--group-id", group,
                "--volume-type", volumeType, "--name", unique("cli-gsvol"), "1"))).properties().get("id");
        pollCinderShow(volume, "available");

        String name = unique("cli-gsnap");
        CliResult made = ok(cinder("--os-volume-api-version", "3.14", "group-snapshot-create", "--name", name,
                group));
        String id = onlyTable(made).properties().get("id");
        assertThat(id).as(made.describe()).matches("[0-9a-f-]{36}");
        pollUntil("group snapshot " + name + " available", () -> cinder("--os-volume-api-version", "3.14",
                "group-snapshot-list"), r -> r.exit() == 0 && column(onlyTable(r), "ID").contains(id)
                && "available".equals(rowWhere(onlyTable(r), "ID", id, r).get("Status")));
        Map<String, String> shown = onlyTable(ok(cinder("--os-volume-api-version", "3.14", "group-snapshot-show",
                id))).properties();
        assertThat(shown).containsEntry("name", name).containsEntry("group_id", group)
                .containsEntry("status", "available");
        // Its member: an ordinary snapshot of the volume.
        CliResult snaps = ok(cinder("--os-volume-api-version", "3.14", "snapshot-list"));
        assertThat(column(onlyTable(snaps), "Volume ID")).as(snaps.describe()).contains(volume);

        ok(cinder("--os-volume-api-version", "3.14", "group-snapshot-delete", id));
        pollUntil("group snapshot " + name + " gone", () -> cinder("--os-volume-api-version", "3.14",
                "group-snapshot-list"), r -> r.exit() == 0 && !column(onlyTable(r), "ID").contains(id));
        pollUntil("member snapshot gone", () -> cinder("--os-volume-api-version", "3.14", "snapshot-list"),
                r -> r.exit() == 0 && !column(onlyTable(r), "Volume ID").contains(volume));
        ok(cinder("--os-volume-api-version", "3.14", "group-delete", "--delete-volumes", group));
        pollUntil("volume gone", () -> cinder("list"), r -> r.exit() == 0 && !column(onlyTable(r), "ID")
                .contains(volume));
        ok(cinder("--os-volume-api-version", "3.14", "group-type-delete", groupType));
        ok(cinder("type-delete", volumeType));
    }

    @Test
    void cinderSetsBootableAndReadonlyAndForceDeletes() {
        String name = unique("cli-flags");
        String id = onlyTable(ok(cinder("create", "1", "--name", name))).properties().get("id");
        pollCinderShow(name, "available");

        ok(cinder("set-bootable", id, "true"));
        ok(cinder("readonly-mode-update", id, "True"));
        Map<String, String> shown = onlyTable(ok(cinder("show", id))).properties();
        assertThat(shown).containsEntry("bootable", "true");
        // Cinder shows its readonly admin metadata among the volume's metadata.
        assertThat(shown.get("metadata")).contains("readonly").contains("True");

        ok(cinder("force-delete", id));
        pollUntil("volume " + name + " gone from `cinder list`", () -> cinder("list"),
                r -> r.exit() == 0 && !column(onlyTable(r), "ID").contains(id));
    }

    @Test
    void cinderUnmanagesListsManageableAndManagesAVolumeBack() {
        String name = unique("cli-manage");
        String id = onlyTable(ok(cinder("create", "1", "--name", name))).properties().get("id");
        String backendHost = pollCinderShow(name, "available").get("os-vol-host-attr:host");

        ok(cinder("unmanage", id));
        pollUntil("volume " + name + " gone from `cinder list`", () -> cinder("list"),
                r -> r.exit() == 0 && !column(onlyTable(r), "ID").contains(id));
        CliResult offered = ok(cinder("--os-volume-api-version", "3.8", "manageable-list", backendHost));
        assertThat(offered.stdout()).as(offered.describe()).contains("volume-" + id);

        String newName = unique("cli-managed");
        CliResult managed = ok(cinder("manage", "--name", newName, backendHost, "volume-" + id));
        assertThat(onlyTable(managed).properties()).containsEntry("status", "managing");
        Map<String, String> shown = pollCinderShow(newName, "available");
        assertThat(shown).containsEntry("size", "1").containsEntry("os-vol-host-attr:host", backendHost);
        assertThat(shown.get("id")).isNotEqualTo(id);
        ok(cinder("delete", newName));
        pollUntil("volume " + newName + " gone from `cinder list`", () -> cinder("list"),
                r -> r.exit() == 0 && !column(onlyTable(r), "Name").contains(newName));
    }

    @Test
    void cinderAndOpenstackMigrateAVolumeBetweenBackends() {
        String name = unique("cli-move");
        ok(cinder("create", "1", "--name", name));
        Map<String, String> before = pollCinderShow(name, "available");
        String from = before.get("os-vol-host-attr:host");
        String to = from.endsWith("@file-1#file-1") ? "file-2" : "file-1";
        String back = to.equals("file-1") ? "file-2" : "file-1";

        CliResult migrate = ok(cinder("migrate", name, host + "@" + to + "#" + to));
        assertThat(migrate.stdout()).as(migrate.describe()).contains("has been accepted");
        Map<String, String> moved = onlyTable(pollUntil("`cinder show` migstat success",
                () -> cinder("show", name), c -> c.exit() == 0
                        && "success".equals(onlyTable(c).properties().get("os-vol-mig-status-attr:migstat")))).properties();
        assertThat(moved).containsEntry("os-vol-host-attr:host", host + "@" + to + "#" + to)
                .containsEntry("id", before.get("id")).containsEntry("status", "available");

        // OSC: --force-host-copy makes it a generic (host copy) migration; the id stays, _name_id changes.
        ok(openstack("jcinder-admin", "volume", "migrate", "--host", host + "@" + back + "#" + back,
                "--force-host-copy", before.get("id")));
        CliResult shown = pollUntil("`openstack volume show` back on " + back,
                () -> openstack("jcinder-admin", "volume", "show", "-f", "json", before.get("id")),
                r -> r.exit() == 0 && (host + "@" + back + "#" + back).equals(
                        json(r).path("os-vol-host-attr:host").asText())
                        && "success".equals(json(r).path("migration_status").asText()));
        assertThat(json(shown).path("os-vol-mig-status-attr:name_id").asText()).as(shown.describe())
                .matches("[0-9a-f-]{36}");

        // cinderclient prints the refusal and still exits 0, against real Cinder too (cinder-migrate-bad-host).
        CliResult refused = cinder("migrate", name, "nosuchhost@x#y");
        assertThat(refused.stdout() + refused.stderr()).as(refused.describe())
                .contains("Invalid host: No available service named 'nosuchhost@x' (HTTP 400)");
        ok(cinder("delete", name));
    }

    @Test
    void cinderMigratesAnAttachedVolumeThroughTheComputeServiceOfTheAllInOne() {
        // The all-in-one's compute service holds a server with the volume attached (Nova's API, as a user would
        // call it); `cinder migrate` then takes the attached path: Nova's swap, the mirror, the completion.
        HttpJson nova = new HttpJson(ctx.getBean(EmbeddedCompute.class).endpoint().replace("/v2.1", ""));
        String server = nova.post("admin:admin", "/v2.1/servers", "{\"server\": {\"name\": \"cli-vm\", "
                + "\"flavorRef\": \"1\"}}").body().get("server").get("id").asString();
        Await.until("server ACTIVE", () -> nova.get("admin:admin", "/v2.1/servers/" + server),
                r -> "ACTIVE".equals(r.body().get("server").get("status").asString()));
        String name = unique("cli-attached");
        ok(cinder("create", "1", "--name", name));
        Map<String, String> before = pollCinderShow(name, "available");
        HttpJson.Response attached = nova.post("admin:admin", "/v2.1/servers/" + server + "/os-volume_attachments",
                "{\"volumeAttachment\": {\"volumeId\": \"" + before.get("id") + "\"}}");
        assertThat(attached.status()).as(attached.raw()).isEqualTo(200);
        pollCinderShow(name, "in-use");
        String from = before.get("os-vol-host-attr:host");
        String to = from.endsWith("@file-1#file-1") ? "file-2" : "file-1";

        ok(cinder("migrate", name, host + "@" + to + "#" + to));
        Map<String, String> moved = onlyTable(pollUntil("`cinder show` migstat success", () -> cinder("show", name),
                c -> c.exit() == 0 && "success".equals(onlyTable(c).properties()
                        .get("os-vol-mig-status-attr:migstat")))).properties();
        assertThat(moved).containsEntry("os-vol-host-attr:host", host + "@" + to + "#" + to)
                .containsEntry("id", before.get("id")).containsEntry("status", "in-use");
        assertThat(moved.get("attached_servers")).contains(server);
        assertThat(nova.delete("admin:admin", "/v2.1/servers/" + server).status()).isEqualTo(204);
        pollCinderShow(name, "available");
        ok(cinder("delete", name));
    }

    @Test
    void cinderUsersOfOtherProjectsDoNotSeeTheVolume() {
        String name = unique("cli-alice");
        CliResult create = ok(cinderAs("alice", "project-a", "create", "1", "--name", name));
        String id = onlyTable(create).properties().get("id");
        pollUntil("alice's volume available", () -> cinderAs("alice", "project-a", "show", id),
                r -> r.exit() == 0 && "available".equals(onlyTable(r).properties().get("status")));

        CliResult aliceList = ok(cinderAs("alice", "project-a", "list"));
        assertThat(column(onlyTable(aliceList), "ID")).as(aliceList.describe()).contains(id);

        CliResult bobList = ok(cinderAs("bob", "project-b", "list"));
        assertThat(column(onlyTable(bobList), "ID")).as(bobList.describe()).doesNotContain(id);
        CliResult bobShow = cinderAs("bob", "project-b", "show", id);
        assertThat(bobShow.exit()).as(bobShow.describe()).isNotZero();
        assertThat(bobShow.stderr()).as(bobShow.describe()).contains("No volume with a name or ID of '" + id);

        CliResult bobServices = cinderAs("bob", "project-b", "service-list");
        assertThat(bobServices.exit()).as(bobServices.describe()).isNotZero();
        assertThat(bobServices.stderr()).as(bobServices.describe()).contains("HTTP 403");

        // The admin sees only its own project by default, every project with --all-tenants.
        CliResult adminList = ok(cinder("list"));
        assertThat(column(onlyTable(adminList), "ID")).as(adminList.describe()).doesNotContain(id);
        CliResult allTenants = ok(cinder("list", "--all-tenants"));
        Map<String, String> row = rowWhere(onlyTable(allTenants), "ID", id, allTenants);
        assertThat(row).as(allTenants.describe()).containsEntry("Tenant ID", "project-a");

        ok(cinderAs("alice", "project-a", "delete", id));
        pollUntil("alice's volume gone", () -> cinderAs("alice", "project-a", "list"),
                r -> r.exit() == 0 && !column(onlyTable(r), "ID").contains(id));
    }

    @Test
    void cinderTransfersAVolumeToAnotherProject() {
        String name = unique("cli-gift");
        String id = onlyTable(ok(cinderAs("alice", "project-t1", "create", "1", "--name", name))).properties()
                .get("id");
        pollUntil("alice's volume available", () -> cinderAs("alice", "project-t1", "show", id),
                r -> r.exit() == 0 && "available".equals(onlyTable(r).properties().get("status")));

        // Offered, withdrawn: the volume is available again.
        Map<String, String> first = onlyTable(ok(cinderAs("alice", "project-t1", "transfer-create", id)))
                .properties();
        ok(cinderAs("alice", "project-t1", "transfer-delete", first.get("id")));
        pollUntil("volume available after transfer-delete", () -> cinderAs("alice", "project-t1", "show", id),
                r -> r.exit() == 0 && "available".equals(onlyTable(r).properties().get("status")));

        CliResult created = ok(cinderAs("alice", "project-t1", "transfer-create", "--name", "cli-xfer", id));
        Map<String, String> transfer = onlyTable(created).properties();
        assertThat(transfer).as(created.describe()).containsEntry("volume_id", id).containsEntry("name", "cli-xfer");
        assertThat(transfer.get("auth_key")).as(created.describe()).matches("[0-9a-f]{16}");
        CliResult listed = ok(cinderAs("alice", "project-t1", "transfer-list"));
        assertThat(column(onlyTable(listed), "ID")).as(listed.describe()).contains(transfer.get("id"));
        CliResult bobList = ok(cinderAs("bob", "project-t2", "transfer-list"));
        assertThat(column(onlyTable(bobList), "ID")).as(bobList.describe()).doesNotContain(transfer.get("id"));

        CliResult wrong = cinderAs("bob", "project-t2", "transfer-accept", transfer.get("id"), "0123456789abcdef");
        assertThat(wrong.exit()).as(wrong.describe()).isNotZero();
        assertThat(wrong.stderr()).as(wrong.describe()).contains("with invalid auth key").contains("HTTP 400");

        CliResult accepted = ok(cinderAs("bob", "project-t2", "transfer-accept", transfer.get("id"),
                transfer.get("auth_key")));
        assertThat(onlyTable(accepted).properties()).as(accepted.describe()).containsEntry("volume_id", id);
        Map<String, String> bobs = onlyTable(ok(cinderAs("bob", "project-t2", "show", id))).properties();
        assertThat(bobs).containsEntry("status", "available");
        assertThat(cinderAs("alice", "project-t1", "show", id).exit()).isNotZero();
        CliResult all = ok(cinder("list", "--all-tenants"));
        assertThat(rowWhere(onlyTable(all), "ID", id, all)).containsEntry("Tenant ID", "project-t2");

        ok(cinderAs("bob", "project-t2", "delete", id));
        pollUntil("bob's volume gone", () -> cinderAs("bob", "project-t2", "list"),
                r -> r.exit() == 0 && !column(onlyTable(r), "ID").contains(id));
    }

    // ---------------------------------------------------------------------------------------- openstack

    @Test
    void openstackWithAnAdminTokenCloudManagesTypesAndVolumes() {
        String type = unique("osc-silver");
        String name = unique("osc-vol");

        CliResult services = ok(openstack("jcinder-admin", "volume", "service", "list", "-f", "json"));
        List<String> serviceRows = new ArrayList<>();
        for (JsonNode s : json(services)) {
            assertThat(s.get("Status").asString()).as(services.describe()).isEqualTo("enabled");
            assertThat(s.get("State").asString()).as(services.describe()).isEqualTo("up");
            serviceRows.add(s.get("Binary").asString() + " " + s.get("Host").asString());
        }
        assertThat(serviceRows).as(services.describe()).containsExactlyInAnyOrder(
                "cinder-scheduler " + host, "cinder-volume " + host + "@file-1", "cinder-volume " + host + "@file-2");

        CliResult typeCreate = ok(openstack("jcinder-admin", "volume", "type", "create", "--property",
                "volume_backend_name=file-1", type, "-f", "json"));
        JsonNode createdType = json(typeCreate);
        assertThat(createdType.get("name").asString()).as(typeCreate.describe()).isEqualTo(type);
        assertThat(createdType.get("properties").get("volume_backend_name").asString())
                .as(typeCreate.describe()).isEqualTo("file-1");

        CliResult typeList = ok(openstack("jcinder-admin", "volume", "type", "list", "--long", "-f", "json"));
        JsonNode listedType = find(json(typeList), "Name", type, typeList);
        assertThat(listedType.get("Is Public").asBoolean()).as(typeList.describe()).isTrue();
        assertThat(listedType.get("Properties").get("volume_backend_name").asString()).as(typeList.describe())
                .isEqualTo("file-1");
        find(json(typeList), "Name", "__DEFAULT__", typeList);

        CliResult create = ok(openstack("jcinder-admin", "volume", "create", "--size", "1", "--type", type, name,
                "-f", "json"));
        JsonNode accepted = json(create);
        String id = accepted.get("id").asString();
        assertThat(accepted.get("name").asString()).as(create.describe()).isEqualTo(name);
        assertThat(accepted.get("size").asInt()).as(create.describe()).isEqualTo(1);
        assertThat(accepted.get("type").asString()).as(create.describe()).isEqualTo(type);

        CliResult shown = pollUntil("volume " + name + " available in `openstack volume show`",
                () -> openstack("jcinder-admin", "volume", "show", name, "-f", "json"),
                r -> r.exit() == 0 && statusOrFailFast(json(r).get("status").asString(), r).equals("available"));
        JsonNode volume = json(shown);
        assertThat(volume.get("id").asString()).as(shown.describe()).isEqualTo(id);
        assertThat(volume.get("os-vol-host-attr:host").asString()).as(shown.describe())
                .isEqualTo(host + "@file-1#file-1");
        assertThat(volume.get("os-vol-tenant-attr:tenant_id").asString()).as(shown.describe()).isEqualTo("admin");
        assertThat(volume.get("bootable").asString()).as(shown.describe()).isEqualTo("false");

        CliResult value = ok(openstack("jcinder-admin", "volume", "show", id, "-f", "value", "-c", "status",
                "-c", "size"));
        assertThat(value.stdout().lines().toList()).as(value.describe()).containsExactly("1", "available");

        CliResult list = ok(openstack("jcinder-admin", "volume", "list", "-f", "json"));
        JsonNode listed = find(json(list), "ID", id, list);
        assertThat(listed.get("Name").asString()).as(list.describe()).isEqualTo(name);
        assertThat(listed.get("Status").asString()).as(list.describe()).isEqualTo("available");
        assertThat(listed.get("Size").asInt()).as(list.describe()).isEqualTo(1);

        CliResult longList = ok(openstack("jcinder-admin", "volume", "list", "--long", "-f", "json"));
        JsonNode longRow = find(json(longList), "ID", id, longList);
        assertThat(longRow.get("Type").asString()).as(longList.describe()).isEqualTo(type);
        assertThat(longRow.get("Bootable").asString()).as(longList.describe()).isEqualTo("false");

        ok(openstack("jcinder-admin", "volume", "delete", name));
        pollUntil("volume " + name + " gone from `openstack volume list`",
                () -> openstack("jcinder-admin", "volume", "list", "-f", "value", "-c", "ID"),
                r -> r.exit() == 0 && !r.stdout().lines().toList().contains(id));
        CliResult gone = openstack("jcinder-admin", "volume", "show", id);
        assertThat(gone.exit()).as(gone.describe()).isNotZero();
        assertThat(gone.stderr()).as(gone.describe()).contains("No volume with a name or ID of '" + id + "' exists.");

        ok(openstack("jcinder-admin", "volume", "type", "delete", type));
        CliResult typesAfter = ok(openstack("jcinder-admin", "volume", "type", "list", "-f", "value", "-c",
                "Name"));
        assertThat(typesAfter.stdout().lines().toList()).as(typesAfter.describe()).doesNotContain(type);
    }

    @Test
    void openstackSnapshotsAndCinderCreateFromASnapshot() {
        String name = unique("osc-snap-vol");
        String snapName = unique("osc-snap");
        String volId = json(ok(openstack("jcinder-admin", "volume", "create", "--size", "1", name, "-f", "json")))
                .get("id").asString();
        pollUntil("volume " + name + " available", () -> openstack("jcinder-admin", "volume", "show", volId, "-f",
                "json"), r -> r.exit() == 0 && statusOrFailFast(json(r).get("status").asString(), r)
                .equals("available"));

        JsonNode created = json(ok(openstack("jcinder-admin", "volume", "snapshot", "create", "--volume", volId,
                snapName, "-f", "json")));
        String snapId = created.get("id").asString();
        assertThat(created.get("name").asString()).isEqualTo(snapName);
        CliResult shown = pollUntil("snapshot " + snapName + " available",
                () -> openstack("jcinder-admin", "volume", "snapshot", "show", snapName, "-f", "json"),
                r -> r.exit() == 0 && statusOrFailFast(json(r).get("status").asString(), r).equals("available"));
        assertThat(json(shown).get("volume_id").asString()).as(shown.describe()).isEqualTo(volId);
        assertThat(json(shown).get("size").asInt()).as(shown.describe()).isEqualTo(1);
        CliResult list = ok(openstack("jcinder-admin", "volume", "snapshot", "list", "-f", "json"));
        assertThat(find(json(list), "ID", snapId, list).get("Status").asString()).isEqualTo("available");

        String fromSnap = unique("cli-from-snap");
        String newId = onlyTable(ok(cinder("create", "--snapshot-id", snapId, "--name", fromSnap, "1")))
                .properties().get("id");
        Map<String, String> newVol = pollCinderShow(fromSnap, "available");
        assertThat(newVol.get("snapshot_id")).isEqualTo(snapId);

        ok(cinder("delete", newId));
        pollUntil("volume " + fromSnap + " gone", () -> cinder("list"),
                r -> r.exit() == 0 && !column(onlyTable(r), "ID").contains(newId));
        ok(openstack("jcinder-admin", "volume", "snapshot", "delete", snapName));
        pollUntil("snapshot " + snapName + " gone", () -> openstack("jcinder-admin", "volume", "snapshot", "list",
                "-f", "value", "-c", "ID"), r -> r.exit() == 0 && !r.stdout().lines().toList().contains(snapId));
        ok(openstack("jcinder-admin", "volume", "delete", volId));
    }

    /**
     * {@code cinder --os-volume-api-version 3.40 revert-to-snapshot}: the volume's file gets the snapshot's bytes
     * back (SHA-256); then {@code openstack volume delete --purge} (Cinder's cascade) removes volume and snapshot.
     */
    @Test
    void cinderRevertsToASnapshotAndOpenstackPurgesTheVolumeWithItsSnapshot() throws Exception {
        String name = unique("cli-revert");
        String id = onlyTable(ok(cinder("create", "1", "--name", name))).properties().get("id");
        pollCinderShow(name, "available");
        Path file;
        try (var files = Files.walk(dataDir)) {
            file = files.filter(p -> p.getFileName().toString().equals("volume-" + id)).findFirst().orElseThrow();
        }
        byte[] data = new byte[1 << 20];
        new java.util.Random(40).nextBytes(data);
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(data), 3L << 20);
        }
        String atSnapshot = sha256(file);
        String snapName = unique("cli-revert-snap");
        String snapId = onlyTable(ok(cinder("snapshot-create", "--name", snapName, id))).properties().get("id");
        pollUntil("snapshot " + snapName + " available", () -> cinder("snapshot-show", snapId),
                r -> r.exit() == 0 && onlyTable(r).properties().get("status").equals("available"));
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 3L << 20);
        }
        assertThat(sha256(file)).isNotEqualTo(atSnapshot);

        ok(cinder("--os-volume-api-version", "3.40", "revert-to-snapshot", snapName));
        pollCinderShow(name, "available");
        pollUntil("snapshot " + snapName + " available again", () -> cinder("snapshot-show", snapId),
                r -> r.exit() == 0 && onlyTable(r).properties().get("status").equals("available"));
        try (var files = Files.walk(dataDir)) {
            file = files.filter(p -> p.getFileName().toString().equals("volume-" + id)).findFirst().orElseThrow();
        }
        assertThat(sha256(file)).isEqualTo(atSnapshot);

        ok(openstack("jcinder-admin", "volume", "delete", "--purge", id));
        pollUntil("volume " + name + " gone", () -> cinder("list"),
                r -> r.exit() == 0 && !column(onlyTable(r), "ID").contains(id));
        pollUntil("snapshot " + snapName + " gone", () -> cinder("snapshot-list"),
                r -> r.exit() == 0 && !column(onlyTable(r), "ID").contains(snapId));
    }

    private static String sha256(Path file) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    @Test
    void openstackProjectsAreIsolatedAndAuthTypeNoneIsAnOrdinaryProject() {
        // A volume of project-a, created through the clouds.yaml entry of alice.
        String name = unique("osc-alice");
        String id = json(ok(openstack("jcinder-alice", "volume", "create", "--size", "1", name, "-f", "json")))
                .get("id").asString();
        pollUntil("alice's volume available",
                () -> openstack("jcinder-alice", "volume", "show", id, "-f", "value", "-c", "status"),
                r -> r.exit() == 0 && statusOrFailFast(r.stdout().strip(), r).equals("available"));

        CliResult bob = ok(openstack("jcinder-bob", "volume", "list", "-f", "value", "-c", "ID"));
        assertThat(bob.stdout().lines().toList()).as(bob.describe()).doesNotContain(id);
        CliResult bobShow = openstack("jcinder-bob", "volume", "show", id);
        assertThat(bobShow.exit()).as(bobShow.describe()).isNotZero();
        CliResult bobServices = openstack("jcinder-bob", "volume", "service", "list");
        assertThat(bobServices.exit()).as(bobServices.describe()).isNotZero();
        assertThat(bobServices.stderr()).as(bobServices.describe()).contains("HTTP 403");

        // --os-auth-type none: keystoneauth sends the token "notused"; it is project "notused", not an admin.
        CliResult none = ok(openstackNoAuth("volume", "list", "-f", "json"));
        assertThat(none.stdout().contains(id)).as(none.describe()).isFalse();
        assertThat(json(none).isArray()).as(none.describe()).isTrue();
        CliResult noneCreate = ok(openstackNoAuth("volume", "create", "--size", "1", unique("osc-none"),
                "-f", "json"));
        JsonNode noneVolume = json(noneCreate);
        // OSC prints Cinder's create view, which has no extension attributes; `volume show` has the owner.
        assertThat(noneVolume.has("os-vol-tenant-attr:tenant_id")).as(noneCreate.describe()).isFalse();
        assertThat(noneVolume.get("user_id").asString()).as(noneCreate.describe()).isEqualTo("notused");
        String noneId = noneVolume.get("id").asString();
        // Host and migration attributes are admin-only (policy admin_api): OSC then has no such field at all.
        CliResult noneShow = pollUntil("the none-auth volume available",
                () -> openstackNoAuth("volume", "show", noneId, "-f", "json"),
                r -> r.exit() == 0 && statusOrFailFast(json(r).get("status").asString(), r).equals("available"));
        assertThat(json(noneShow).get("os-vol-tenant-attr:tenant_id").asString()).as(noneShow.describe())
                .isEqualTo("notused");
        assertThat(json(noneShow).has("os-vol-host-attr:host")).as(noneShow.describe()).isFalse();
        assertThat(json(noneShow).has("os-vol-mig-status-attr:migstat")).as(noneShow.describe()).isFalse();
        CliResult noneServices = openstackNoAuth("volume", "service", "list");
        assertThat(noneServices.exit()).as(noneServices.describe()).isNotZero();
        assertThat(noneServices.stderr()).as(noneServices.describe()).contains("HTTP 403");

        // The admin sees both projects' volumes with --all-projects (OSC 6.0 prints no project column there),
        // and their owners with `volume show`.
        CliResult all = ok(openstack("jcinder-admin", "volume", "list", "--all-projects", "-f", "value", "-c", "ID"));
        assertThat(all.stdout().lines().toList()).as(all.describe()).contains(id, noneId);
        CliResult own = ok(openstack("jcinder-admin", "volume", "list", "-f", "value", "-c", "ID"));
        assertThat(own.stdout().lines().toList()).as(own.describe()).doesNotContain(id, noneId);
        CliResult adminShow = ok(openstack("jcinder-admin", "volume", "show", id, "-f", "json"));
        assertThat(json(adminShow).get("os-vol-tenant-attr:tenant_id").asString()).as(adminShow.describe())
                .isEqualTo("project-a");
        assertThat(json(adminShow).get("user_id").asString()).as(adminShow.describe()).isEqualTo("alice");
        assertThat(json(adminShow).get("os-vol-host-attr:host").asString()).as(adminShow.describe())
                .startsWith(host + "@file-");

        ok(openstackNoAuth("volume", "delete", noneId));
        ok(openstack("jcinder-alice", "volume", "delete", id));
        pollUntil("both volumes gone",
                () -> openstack("jcinder-admin", "volume", "list", "--all-projects", "-f", "value", "-c", "ID"),
                r -> r.exit() == 0 && !r.stdout().contains(id) && !r.stdout().contains(noneId));
    }

    @Test
    void openstackVolumeTransferRequestCreateAndAccept() {
        String name = unique("osc-gift");
        String id = json(ok(openstack("jcinder-alice", "volume", "create", "--size", "1", name, "-f", "json")))
                .get("id").asString();
        pollUntil("alice's volume available",
                () -> openstack("jcinder-alice", "volume", "show", id, "-f", "value", "-c", "status"),
                r -> r.exit() == 0 && statusOrFailFast(r.stdout().strip(), r).equals("available"));
        CliResult created = ok(openstack("jcinder-alice", "volume", "transfer", "request", "create", "--name",
                "osc-xfer", id, "-f", "json"));
        JsonNode request = json(created);
        assertThat(request.get("volume_id").asString()).as(created.describe()).isEqualTo(id);
        String transferId = request.get("id").asString();
        CliResult listed = ok(openstack("jcinder-alice", "volume", "transfer", "request", "list", "-f", "value",
                "-c", "ID"));
        assertThat(listed.stdout().lines().toList()).as(listed.describe()).contains(transferId);

        // Project "notused" (auth type none) accepts it and owns the volume.
        CliResult accepted = ok(openstackNoAuth("volume", "transfer", "request", "accept", "--auth-key",
                request.get("auth_key").asString(), transferId, "-f", "json"));
        assertThat(json(accepted).get("volume_id").asString()).as(accepted.describe()).isEqualTo(id);
        CliResult shown = ok(openstack("jcinder-admin", "volume", "show", id, "-f", "json"));
        assertThat(json(shown).get("os-vol-tenant-attr:tenant_id").asString()).as(shown.describe())
                .isEqualTo("notused");
        assertThat(json(shown).get("status").asString()).as(shown.describe()).isEqualTo("available");
        ok(openstackNoAuth("volume", "delete", id));
    }

    /** Operator APIs through the real cinder CLI: zones, extensions, service-disable/enable, message-list. */
    @Test
    void cinderOperatorCommands() {
        CliResult zones = ok(cinder("availability-zone-list"));
        assertThat(onlyTable(zones).rows()).as(zones.describe())
                .anySatisfy(row -> assertThat(row).containsEntry("Name", "nova").containsEntry("Status", "available"));

        CliResult ext = ok(cinder("list-extensions"));
        assertThat(onlyTable(ext).rows()).as(ext.describe())
                .anySatisfy(row -> assertThat(row).containsEntry("Alias", "os-services"))
                .anySatisfy(row -> assertThat(row).containsEntry("Alias", "os-availability-zone"));

        String backend = host + "@file-2";
        CliResult disabled = ok(cinder("service-disable", "--reason", "cli maintenance", backend, "cinder-volume"));
        try {
            assertThat(onlyTable(disabled).rows()).as(disabled.describe()).singleElement()
                    .satisfies(row -> assertThat(row).containsEntry("Host", backend)
                            .containsEntry("Status", "disabled").containsEntry("Disabled Reason", "cli maintenance"));
            CliResult list = ok(cinder("service-list", "--binary", "cinder-volume"));
            assertThat(onlyTable(list).rows()).as(list.describe()).anySatisfy(row -> assertThat(row)
                    .containsEntry("Host", backend).containsEntry("Status", "disabled")
                    .containsEntry("Disabled Reason", "cli maintenance"));
        } finally {
            CliResult enabled = ok(cinder("service-enable", backend, "cinder-volume"));
            assertThat(onlyTable(enabled).rows()).as(enabled.describe()).singleElement()
                    .satisfies(row -> assertThat(row).containsEntry("Status", "enabled"));
        }

        // The same through OSC: `volume service set --disable --disable-reason` then `--enable`.
        ok(openstack("jcinder-admin", "volume", "service", "set", "--disable", "--disable-reason", "osc maintenance",
                backend, "cinder-volume"));
        try {
            CliResult osc = ok(openstack("jcinder-admin", "volume", "service", "list", "--long", "-f", "json"));
            assertThat(json(osc).toString()).as(osc.describe()).contains("osc maintenance");
        } finally {
            ok(openstack("jcinder-admin", "volume", "service", "set", "--enable", backend, "cinder-volume"));
        }
        CliResult oscZones = ok(openstack("jcinder-admin", "availability", "zone", "list", "--volume", "-f", "json"));
        assertThat(json(oscZones).toString()).as(oscZones.describe()).contains("nova").contains("available");

        // A volume no backend can hold: the scheduler's message is what `cinder message-list` shows its owner.
        String type = unique("cli-nowhere");
        ok(cinder("type-create", type));
        ok(cinder("type-key", type, "set", "volume_backend_name=no-such-backend"));
        String name = unique("cli-unplaceable");
        ok(cinderAs("dana", "project-d", "create", "1", "--name", name, "--volume-type", type));
        CliResult messages = pollUntil("dana's message", () -> cinderAs("dana", "project-d", "message-list"),
                r -> r.exit() == 0 && r.stdout().contains("VOLUME_VOLUME_001_003"));
        assertThat(onlyTable(messages).rows()).as(messages.describe()).anySatisfy(row -> assertThat(row)
                .containsEntry("Event ID", "VOLUME_VOLUME_001_003")
                .containsEntry("User Message", "schedule allocate volume:Could not find any available weighted "
                        + "backend."));
        CliResult others = ok(cinderAs("erin", "project-e", "message-list"));
        assertThat(others.stdout()).as(others.describe()).doesNotContain("VOLUME_VOLUME_001_003");

        // The volume (in error) counts in its project's summary, with its size.
        CliResult summary = ok(cinderAs("dana", "project-d", "summary"));
        assertThat(summary.stdout()).as(summary.describe()).contains("total_count").contains("total_size");
        assertThat(onlyTable(summary).rows()).as(summary.describe())
                .anySatisfy(row -> assertThat(row.values()).contains("total_count", "1"));
        ok(cinderAs("dana", "project-d", "delete", name));
    }

    /**
     * Quotas through cinderclient (docs/quotas.md): quota-show and quota-defaults, quota-update, quota-usage after
     * a create, absolute-limits, and the 413 the client prints when a create is over quota.
     */
    @Test
    void cinderQuotaCommandsShowUpdateUsageAndLimits() {
        String project = UUID.randomUUID().toString().replace("-", "");
        Map<String, String> shown = onlyTable(ok(cinder("quota-show", project))).properties();
        assertThat(shown).containsEntry("volumes", "10").containsEntry("gigabytes", "1000")
                .containsEntry("per_volume_gigabytes", "-1");
        assertThat(onlyTable(ok(cinder("quota-defaults", project))).properties()).containsEntry("snapshots", "10");

        Map<String, String> updated = onlyTable(ok(cinder("quota-update", "--volumes", "1", "--gigabytes", "7",
                project))).properties();
        assertThat(updated).containsEntry("volumes", "1").containsEntry("gigabytes", "7");
        assertThat(onlyTable(ok(cinder("quota-show", project))).properties()).containsEntry("volumes", "1");

        String volume = unique("quota");
        ok(cinderAs("alice", project, "create", "2", "--name", volume));
        CliResult usageOut = ok(cinder("quota-usage", project));
        Map<String, String> usage = rowWhere(onlyTable(usageOut), "Type", "volumes", usageOut);
        assertThat(usage).containsEntry("In_use", "1").containsEntry("Limit", "1").containsEntry("Reserved", "0");

        CliResult over = cinderAs("alice", project, "create", "1");
        assertThat(over.exit()).as(over.describe()).isNotZero();
        assertThat(over.stderr()).as(over.describe())
                .contains("Maximum number of volumes allowed (1) exceeded for quota 'volumes'.")
                .contains("HTTP 413");

        CliResult limits = ok(cinderAs("alice", project, "absolute-limits"));
        Map<String, String> abs = new LinkedHashMap<>();
        onlyTable(limits).rows().forEach(row -> abs.put(row.get("Name"), row.get("Value")));
        assertThat(abs).as(limits.describe()).containsEntry("maxTotalVolumes", "1")
                .containsEntry("maxTotalVolumeGigabytes", "7").containsEntry("totalVolumesUsed", "1")
                .containsEntry("totalGigabytesUsed", "2");

        ok(cinder("quota-delete", project));
        assertThat(onlyTable(ok(cinder("quota-show", project))).properties()).containsEntry("volumes", "10");
    }

    /** QoS specs, private types and encryption types through both clients (admin, noauth). */
    @Test
    void qosSpecsTypeAccessAndEncryptionTypesThroughTheClients() {
        String qos = unique("cli-qos");
        JsonNode created = json(ok(openstack("jcinder-admin", "volume", "qos", "create", "--consumer", "front-end",
                "--property", "total_iops_sec=500", qos, "-f", "json")));
        assertThat(created.get("name").asString()).isEqualTo(qos);
        assertThat(created.get("consumer").asString()).isEqualTo("front-end");
        ok(openstack("jcinder-admin", "volume", "qos", "set", "--property", "read_iops_sec=100", qos));

        String type = unique("cli-private");
        CliResult typeCreated = ok(cinder("type-create", "--is-public", "false", type));
        String typeId = rowWhere(onlyTable(typeCreated), "Name", type, typeCreated).get("ID");
        ok(openstack("jcinder-admin", "volume", "qos", "associate", qos, typeId));
        CliResult shownResult = ok(openstack("jcinder-admin", "volume", "qos", "show", qos, "-f", "json"));
        JsonNode shown = json(shownResult);
        assertThat(shown.get("consumer").asString()).as(shownResult.describe()).isEqualTo("front-end");
        assertThat(shown.get("properties").toString()).as(shownResult.describe())
                .contains("total_iops_sec").contains("read_iops_sec");
        assertThat(shown.get("associations").toString()).as(shownResult.describe()).contains(type);

        ok(cinder("type-access-add", "--volume-type", typeId, "--project-id", "project-a"));
        CliResult access = ok(cinder("type-access-list", "--volume-type", typeId));
        assertThat(onlyTable(access).rows()).as(access.describe())
                .containsExactly(Map.of("Volume_type_ID", typeId, "Project_ID", "project-a"));
        CliResult aliceTypes = ok(cinderAs("alice", "project-a", "type-list"));
        assertThat(column(onlyTable(aliceTypes), "Name")).as(aliceTypes.describe()).contains(type);
        CliResult bobTypes = ok(cinderAs("bob", "project-b", "type-list"));
        assertThat(column(onlyTable(bobTypes), "Name")).as(bobTypes.describe()).doesNotContain(type);

        ok(cinder("encryption-type-create", "--cipher", "aes-xts-plain64", "--key-size", "256",
                "--control-location", "front-end", typeId, "luks"));
        CliResult encryption = ok(cinder("encryption-type-show", typeId));
        Map<String, String> row = rowWhere(onlyTable(encryption), "Volume Type ID", typeId, encryption);
        assertThat(row).as(encryption.describe())
                .containsEntry("Provider", "luks")
                .containsEntry("Cipher", "aes-xts-plain64")
                .containsEntry("Key Size", "256")
                .containsEntry("Control Location", "front-end");
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The absolute path of a client on PATH, or null (and {@link #missingCli} says why). */
    private static Path findCli(String binary, String debianPackage) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, binary);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = "the OpenStack client `" + binary + "` is not installed (Debian package " + debianPackage
                + "); not found on PATH=" + path;
        missingCli = missingCli == null ? message : missingCli + "; " + message;
        return null;
    }

    private static String cloud(String name, String token) {
        return "  " + name + ":\n"
                + "    auth_type: admin_token\n"
                + "    auth:\n"
                + "      token: \"" + token + "\"\n"
                + "      endpoint: " + endpoint + "\n"
                + "    volume_api_version: \"3\"";
    }

    /** Creating a volume needs the scheduler to have heard from both backends; wait for that first. */
    private static void awaitBothPoolsKnownToScheduler() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/scheduler-stats/get_pools"))
                .header("X-Auth-Token", "admin:admin").header("Accept", "application/json")
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                // A freshly started service on a loaded machine may answer its first request slowly: ask again.
                last = "timed out";
                continue;
            }
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                Set<String> pools = new java.util.HashSet<>();
                JSON.readTree(response.body()).get("pools").forEach(p -> pools.add(p.get("name").asString()));
                if (pools.containsAll(Set.of(host + "@file-1#file-1", host + "@file-2#file-2"))) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        fail("the scheduler did not report both pools within " + STARTUP_TIMEOUT + "; last answer: " + last);
    }

    private static CliResult cinder(String... args) {
        return cinderAs("admin", "admin", args);
    }

    private static CliResult cinderAs(String user, String project, String... args) {
        List<String> cmd = new ArrayList<>(List.of(cinderBin.toString(), "--os-auth-type", "noauth",
                "--os-user-id", user, "--os-project-id", project, "--os-endpoint", endpoint));
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    private static CliResult openstack(String cloud, String... args) {
        List<String> cmd = new ArrayList<>(List.of(openstackBin.toString(), "--os-cloud", cloud));
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    private static CliResult openstackNoAuth(String... args) {
        List<String> cmd = new ArrayList<>(List.of(openstackBin.toString(), "--os-auth-type", "none",
                "--os-endpoint", endpoint));
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    /**
     * Runs a client with a clean environment: no OS_* of the caller, its own HOME, our clouds.yaml. Each command
     * is a process of its own, forked from a server that holds the client's imports ({@link CliLauncher}).
     */
    private static CliResult run(List<String> cmd) {
        try {
            Path out = Files.createTempFile(tmp, "cli-", ".out");
            Path err = Files.createTempFile(tmp, "cli-", ".err");
            long start = System.nanoTime();
            java.util.OptionalInt exit = launcher.run(cmd, out, err, COMMAND_TIMEOUT);
            if (exit.isEmpty()) {
                fail("timed out after " + COMMAND_TIMEOUT + ": " + String.join(" ", cmd) + "\nstdout:\n"
                        + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            CliResult r = new CliResult(cmd, exit.getAsInt(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            System.out.printf("CLI %s -> exit %d in %d ms%n", String.join(" ", cmd), r.exit(),
                    (System.nanoTime() - start) / 1_000_000);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The environment of every client command. */
    private static Map<String, String> clientEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.toUpperCase(java.util.Locale.ROOT).startsWith("OS_"));
        env.put("HOME", home.toString());
        env.put("OS_CLIENT_CONFIG_FILE", cloudsYaml.toString());
        env.put("LC_ALL", "C.UTF-8");
        env.put("PYTHONIOENCODING", "utf-8");
        return env;
    }

    private static CliResult ok(CliResult r) {
        assertThat(r.exit()).as(r.describe()).isZero();
        return r;
    }

    /** Re-runs a command until it satisfies the condition; fails with the last output after the timeout. */
    private static CliResult pollUntil(String what, java.util.function.Supplier<CliResult> command,
            Predicate<CliResult> done) {
        long deadline = System.nanoTime() + POLL_TIMEOUT.toNanos();
        CliResult last;
        do {
            last = command.get();
            if (done.test(last)) {
                return last;
            }
            sleep(300);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not reached within " + POLL_TIMEOUT + ": " + what + "\n" + last.describe());
    }

    private static Map<String, String> pollCinderShow(String volume, String status) {
        CliResult r = pollUntil("`cinder show " + volume + "` status " + status, () -> cinder("show", volume),
                c -> c.exit() == 0 && statusOrFailFast(onlyTable(c).properties().get("status"), c).equals(status));
        return onlyTable(r).properties();
    }

    /** A volume that went to error will not recover: stop polling and show why. */
    private static String statusOrFailFast(String status, CliResult r) {
        if (status != null && status.startsWith("error")) {
            throw new AssertionError("volume went to " + status + "\n" + r.describe());
        }
        return String.valueOf(status);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // -------------------------------------------------------------------------------- output parsing

    record CliResult(List<String> command, int exit, String stdout, String stderr) {
        String describe() {
            return "$ " + String.join(" ", command) + "\nexit " + exit + "\n--- stdout\n" + stdout
                    + "--- stderr\n" + stderr;
        }
    }

    /** One prettytable as printed by cinderclient: header cells and rows keyed by header. */
    record Table(List<String> header, List<Map<String, String>> rows) {
        /** A two-column "Property | Value" table as a map. */
        Map<String, String> properties() {
            Map<String, String> map = new LinkedHashMap<>();
            for (Map<String, String> row : rows) {
                map.put(row.get(header.get(0)), row.get(header.get(1)));
            }
            return map;
        }
    }

    /** Every prettytable in the output, in order (get-pools prints one per pool). */
    static List<Table> tables(String output) {
        List<Table> tables = new ArrayList<>();
        List<String> header = null;
        List<Map<String, String>> rows = null;
        int borders = 0;
        for (String line : output.lines().toList()) {
            if (line.startsWith("+")) {
                if (rows == null) {
                    rows = new ArrayList<>();
                    header = null;
                    borders = 1;
                } else if (++borders == 3) {
                    tables.add(new Table(header, rows));
                    rows = null;
                }
            } else if (line.startsWith("|") && rows != null) {
                List<String> cells = Arrays.stream(line.substring(1, line.lastIndexOf('|')).split("\\|", -1))
                        .map(String::strip).toList();
                if (borders == 1) {
                    header = cells;
                } else {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < header.size() && i < cells.size(); i++) {
                        row.put(header.get(i), cells.get(i));
                    }
                    rows.add(row);
                }
            }
        }
        return tables;
    }

    private static Table onlyTable(CliResult r) {
        List<Table> tables = tables(r.stdout());
        assertThat(tables).as("exactly one table in the output of\n" + r.describe()).hasSize(1);
        return tables.get(0);
    }

    private static List<String> column(Table t, String name) {
        return t.rows().stream().map(row -> row.get(name)).collect(Collectors.toList());
    }

    private static Map<String, String> rowWhere(Table t, String column, String value, CliResult r) {
        return t.rows().stream().filter(row -> value.equals(row.get(column))).findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + column + " = " + value + "\n" + r.describe()));
    }

    private static JsonNode json(CliResult r) {
        try {
            return JSON.readTree(r.stdout());
        } catch (RuntimeException e) {
            throw new AssertionError("not JSON: " + e.getMessage() + "\n" + r.describe(), e);
        }
    }

    private static JsonNode find(JsonNode array, String field, String value, CliResult r) {
        for (JsonNode n : array) {
            if (n.has(field) && value.equals(n.get(field).asString())) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + " = " + value + "\n" + r.describe());
    }
}
