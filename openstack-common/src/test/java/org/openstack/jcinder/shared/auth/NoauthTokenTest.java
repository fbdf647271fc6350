package org.openstack.jcinder.shared.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.context.RequestContext;

/** noauth tokens as Cinder's and Nova's noauth middlewares read them. */
class NoauthTokenTest {

    private static RequestContext of(String token) {
        return NoauthToken.context(token, "req-1", Set.of("nova")).orElseThrow();
    }

    @Test
    void userAndProjectComeFromTheToken() {
        RequestContext c = of("alice:proj");
        assertThat(c.userId()).isEqualTo("alice");
        assertThat(c.projectId()).isEqualTo("proj");
        assertThat(c.roles()).containsExactly("member", "reader");
        assertThat(c.isAdmin()).isFalse();
    }

    @Test
    void aBareUserIsAlsoTheProjectAndAnEmptyProjectToo() {
        assertThat(of("bob").projectId()).isEqualTo("bob");
        assertThat(of("bob:").projectId()).isEqualTo("bob");
    }

    @Test
    void adminIsAnAdministratorAndNamedServiceUsersHaveTheServiceRole() {
        assertThat(of("admin:admin").isAdmin()).isTrue();
        assertThat(of("nova:service").roles()).contains("service");
        assertThat(of("cinder:service").roles()).doesNotContain("service");
    }

    @Test
    void noTokenIsNoContext() {
        assertThat(NoauthToken.context(null, "req-1", Set.of())).isEmpty();
        assertThat(NoauthToken.context("  ", "req-1", Set.of())).isEmpty();
    }
}
