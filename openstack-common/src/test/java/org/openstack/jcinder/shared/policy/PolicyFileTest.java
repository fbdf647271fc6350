package org.openstack.jcinder.shared.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;
import org.openstack.jcinder.shared.context.RequestContext;

class PolicyFileTest {

    @TempDir
    Path dir;

    /** A clock the test moves: the file is looked at again only once a second has passed. */
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private PolicyFile file(Path path) {
        return new PolicyFile(path, Duration.ofSeconds(1), now::get);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> r(PolicyFile policy) {
        return (Map<String, Object>) policy.rules();
    }

    private void tick() {
        now.addAndGet(Duration.ofSeconds(1).toNanos());
    }

    private static void write(Path path, String text) throws IOException {
        Files.writeString(path, text);
        // A second write within the file system's timestamp granularity must still be seen as a change.
        Files.setLastModifiedTime(path, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + (long) (Math.random() * 100_000)));
    }

    @Test
    void anAbsentFileMeansTheDefaultsAndAppearingLaterTakesEffect() throws IOException {
        Path path = dir.resolve("policy.yaml");
        PolicyFile policy = file(path);
        assertThat(r(policy)).isEmpty();
        write(path, "\"volume:get\": \"role:admin\"\n");
        assertThat(r(policy)).as("not looked at again within the second").isEmpty();
        tick();
        assertThat(r(policy)).containsEntry("volume:get", "role:admin");
        Files.delete(path);
        tick();
        assertThat(r(policy)).isEmpty();
    }

    @Test
    void aChangedFileIsReadAgainAndTheSameObjectIsHandedBackUntilThen() throws IOException {
        Path path = dir.resolve("policy.yaml");
        write(path, "\"volume:get\": \"role:admin\"\n");
        PolicyFile policy = file(path);
        Map<String, ?> first = policy.rules();
        tick();
        assertThat((Object) policy.rules()).isSameAs(first);
        write(path, "\"volume:get\": \"role:reader\"\n\"volume:delete\": \"!\"\n");
        tick();
        assertThat(r(policy)).containsEntry("volume:get", "role:reader").containsEntry("volume:delete", "!");
    }

    @Test
    void aMalformedFileKeepsTheLastGoodRules() throws IOException {
        Path path = dir.resolve("policy.yaml");
        write(path, "\"volume:get\": \"role:admin\"\n");
        PolicyFile policy = file(path);
        for (String broken : List.of("volume:get: [unclosed\n", "- just\n- a list\n", "\"volume:get\": 42\n",
                "\"volume:get\": {\"a\": 1}\n")) {
            write(path, broken);
            tick();
            assertThat(r(policy)).as(broken).containsExactly(Map.entry("volume:get", "role:admin"));
        }
        write(path, "{\"volume:get\": \"role:member\"}"); // JSON, fixed
        tick();
        assertThat(r(policy)).containsExactly(Map.entry("volume:get", "role:member"));
    }

    @Test
    void jsonAndOsloListSyntaxAndEmptyValuesAreRead() throws IOException {
        Path path = dir.resolve("policy.json");
        write(path, "{\"a\": \"\", \"b\": [[\"role:x\", \"role:y\"], [\"role:admin\"]], \"c\": \"@\"}");
        Map<String, ?> rules = file(path).rules();
        assertThat(rules.get("a")).isEqualTo("");
        assertThat(rules.get("b")).isEqualTo(List.of(List.of("role:x", "role:y"), List.of("role:admin")));
        write(path, "");
        assertThat(PolicyFile.parse("")).isEmpty();
    }

    @Test
    void theEngineSeesAnEditWithoutARestart() throws IOException {
        Path path = dir.resolve("policy.yaml");
        PolicyFile policy = file(path);
        PolicyEngine engine = new PolicyEngine(List.of(() -> List.of(
                new RuleDefault("context_is_admin", "role:admin", ""),
                new RuleDefault("volume_extension:volume_admin_actions:migrate_volume", "is_admin:True", ""))),
                policy);
        RequestContext mover = new RequestContext("r", "u", "p", List.of("member", "mover"));
        String rule = "volume_extension:volume_admin_actions:migrate_volume";
        assertThat(engine.allows(mover, rule, PolicyTarget.project("p"))).isFalse();
        write(path, "\"" + rule + "\": \"rule:context_is_admin or role:mover\"\n");
        tick();
        assertThat(engine.allows(mover, rule, PolicyTarget.project("p"))).isTrue();
        write(path, "\"" + rule + "\": \"role:mover and (\"\n"); // parses as YAML, not as a check string
        tick();
        assertThat(engine.allows(mover, rule, PolicyTarget.project("p"))).isFalse();
    }

    @Test
    void aRelativePathIsTakenNextToTheConfigurationFile() {
        OptionCatalogue c = new OptionCatalogue();
        Option<String> option = PolicyFile.declare(c);
        IniFile conf = IniFile.parse(dir.resolve("cinder.conf"), List.of());
        assertThat(PolicyFile.locate(conf, option)).isEqualTo(dir.resolve("policy.yaml").toAbsolutePath());
        IniFile custom = IniFile.parse(dir.resolve("cinder.conf"), List.of("[oslo_policy]", "policy_file = p/x.json"));
        assertThat(PolicyFile.locate(custom, option)).isEqualTo(dir.resolve("p/x.json").toAbsolutePath());
        IniFile absolute = IniFile.parse(dir.resolve("cinder.conf"), List.of("[oslo_policy]",
                "policy_file = /etc/elsewhere/policy.yaml"));
        assertThat(PolicyFile.locate(absolute, option)).isEqualTo(Path.of("/etc/elsewhere/policy.yaml"));
    }
}
