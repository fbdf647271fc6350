package org.openstack.jcinder.compute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.exception.NovaException;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.shared.policy.PolicyTarget;

/** Nova's rules on the shared engine: names, defaults, Nova's 403, nova.conf's policy file. */
class ComputePolicyTest {

    @TempDir
    Path dir;

    private ComputePolicy policy() {
        IniFile conf = IniFile.parse(dir.resolve("nova.conf"), List.of());
        return new ComputePolicy(List.of(new NovaPolicies()), NovaConfig.from(conf));
    }

    private static ComputeRequest caller(String project, String... roles) {
        return new ComputeRequest(new RequestContext("req-1", "u", project, List.of(roles)), "t", null, "http://x");
    }

    @Test
    void everyRuleTheApiChecksIsRegistered() throws IllegalAccessException {
        ComputePolicy policy = policy();
        for (Field f : NovaPolicies.class.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers()) && f.getType() == String.class) {
                assertThat(policy.engine().isRegistered((String) f.get(null))).as(f.getName()).isTrue();
            }
        }
    }

    @Test
    void swapAndExternalEventsAreForTheServiceRoleOrAdmins() {
        ComputePolicy policy = policy();
        assertThatThrownBy(() -> policy.authorize(caller("p", "member", "reader"), NovaPolicies.ATTACHMENTS_SWAP))
                .isInstanceOfSatisfying(NovaException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo(
                            "Policy doesn't allow os_compute_api:os-volumes-attachments:swap to be performed.");
                });
        policy.authorize(caller("service", "service"), NovaPolicies.ATTACHMENTS_SWAP);
        policy.authorize(caller("p", "admin"), NovaPolicies.EXTERNAL_EVENTS_CREATE);
        assertThatThrownBy(() -> policy.authorize(caller("p", "member"), NovaPolicies.EXTERNAL_EVENTS_CREATE))
                .isInstanceOf(NovaException.class);
    }

    @Test
    void projectRulesCompareTheServersProject() {
        ComputePolicy policy = policy();
        assertThat(policy.allows(caller("p", "reader"), NovaPolicies.SERVERS_SHOW, PolicyTarget.project("p"))).isTrue();
        assertThat(policy.allows(caller("p", "reader"), NovaPolicies.SERVERS_DELETE, PolicyTarget.project("p")))
                .isFalse();
        assertThat(policy.allows(caller("p", "member"), NovaPolicies.SERVERS_DELETE, PolicyTarget.project("q")))
                .isFalse();
        assertThat(policy.allows(caller("p", "member"), NovaPolicies.EXTENDED_ATTRIBUTES, PolicyTarget.project("p")))
                .isFalse();
        assertThat(policy.sees(caller("p", "admin"), "q")).isTrue();
        assertThat(policy.sees(caller("p", "member"), "q")).isFalse();
    }

    @Test
    void thePolicyFileNextToNovaConfGrantsWithoutARestart() throws IOException, InterruptedException {
        ComputePolicy policy = policy();
        ComputeRequest mover = caller("p", "member", "mover");
        assertThat(policy.allows(mover, NovaPolicies.ATTACHMENTS_SWAP, PolicyTarget.project("p"))).isFalse();
        Files.writeString(dir.resolve("policy.yaml"),
                "\"os_compute_api:os-volumes-attachments:swap\": \"rule:service_or_admin or role:mover\"\n");
        Thread.sleep(1100); // the file is looked at once a second at most
        assertThat(policy.allows(mover, NovaPolicies.ATTACHMENTS_SWAP, PolicyTarget.project("p"))).isTrue();
    }
}
