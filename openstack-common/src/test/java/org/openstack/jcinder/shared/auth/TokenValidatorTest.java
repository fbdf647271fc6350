package org.openstack.jcinder.shared.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The validation against Debian's real Keystone ({@link RealKeystone}): what keystonemiddleware would answer. */
class TokenValidatorTest {

    private static RealKeystone keystone;
    private static RealKeystone.Account service;
    private static RealKeystone.Account member;
    private static String suffix;

    @BeforeAll
    static void keystone() {
        keystone = RealKeystone.shared();
        suffix = UUID.randomUUID().toString().substring(0, 8);
        service = keystone.createAccount("cinder-" + suffix, "service", "service");
        member = keystone.createAccount("alice-" + suffix, "project-a-" + suffix, "member", "reader");
    }

    private static TokenValidator validator(Duration cacheTime) {
        return new TokenValidator(AuthTokenOptions.settings(keystone.url(), service.userName(), service.password(),
                "service", cacheTime));
    }

    @Test
    void aMemberTokenGivesItsUserProjectAndRoles() {
        Caller caller = validator(Duration.ofMinutes(5)).authenticate(keystone.issueToken(member), null);

        assertThat(caller.user().userId()).isEqualTo(member.userId());
        assertThat(caller.user().userName()).isEqualTo(member.userName());
        assertThat(caller.user().projectId()).isEqualTo(member.projectId());
        assertThat(caller.user().projectName()).isEqualTo(member.projectName());
        assertThat(caller.user().userDomainId()).isEqualTo("default");
        assertThat(caller.user().roles()).contains("member", "reader").doesNotContain("admin");
        assertThat(caller.service()).isNull();
        assertThat(caller.context("req-1").isAdmin()).isFalse();
    }

    @Test
    void garbageAndMissingTokensAre401() {
        TokenValidator v = validator(Duration.ofMinutes(5));
        assertThatThrownBy(() -> v.authenticate("garbage", null))
                .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.status()).isEqualTo(401));
        assertThatThrownBy(() -> v.authenticate(null, null))
                .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.status()).isEqualTo(401));
        assertThatThrownBy(() -> v.authenticate("bad\u0001token", null))
                .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.status()).isEqualTo(401));
    }

    @Test
    void aServiceTokenAddsItsRolesAndAnInvalidOneIs401() {
        TokenValidator v = validator(Duration.ofMinutes(5));
        Caller caller = v.authenticate(keystone.issueToken(member), keystone.issueToken(service));
        assertThat(caller.serviceRoles()).contains("service");
        assertThat(caller.context("req-1").serviceRoles()).contains("service");

        assertThatThrownBy(() -> v.authenticate(keystone.issueToken(member), "garbage"))
                .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.status()).isEqualTo(401));
    }

    @Test
    void aRevokedTokenIsRefusedOnceItsCacheEntryIsGone() throws Exception {
        TokenValidator v = validator(Duration.ofSeconds(2));
        String token = keystone.issueToken(member);
        v.authenticate(token, null);

        keystone.revoke(token);
        assertThat(v.authenticate(token, null).user().userId()).as("still cached").isEqualTo(member.userId());
        Thread.sleep(2100);
        assertThatThrownBy(() -> v.authenticate(token, null))
                .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.status()).isEqualTo(401));
    }
}
