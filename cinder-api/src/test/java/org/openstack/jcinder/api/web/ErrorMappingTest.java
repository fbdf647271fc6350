package org.openstack.jcinder.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.exception.CinderException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

/** The pure parts of the crash-safety work: what counts as a database outage, hostile text, paging, versions. */
class ErrorMappingTest {

    @Test
    void databaseOutagesInEveryWrapping() {
        assertThat(ApiExceptionHandler.databaseUnavailable(new CannotCreateTransactionException("no connection",
                new SQLTransientConnectionException("pool timed out")))).isTrue();
        assertThat(ApiExceptionHandler.databaseUnavailable(new DataAccessResourceFailureException("gone"))).isTrue();
        assertThat(ApiExceptionHandler.databaseUnavailable(new JpaSystemException(new JDBCConnectionException(
                "broken", new SQLException("I/O error", "08006"))))).isTrue();
        assertThat(ApiExceptionHandler.databaseUnavailable(new RuntimeException(new SQLException("shutting down",
                "57P01")))).isTrue();
        // Hikari's evicted connection: no SQLSTATE, and Spring reports it instead of the original failure.
        assertThat(ApiExceptionHandler.databaseUnavailable(new JpaSystemException(new RuntimeException(
                new SQLException("Connection is closed"))))).isTrue();
        assertThat(ApiExceptionHandler.databaseUnavailable(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate", "23505")))).isFalse();
        assertThat(ApiExceptionHandler.databaseUnavailable(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void hostileText() {
        assertThat(InputText.problem("plain ✓ \ud83d\ude00")).isNull();
        assertThat(InputText.problem("a\u0000")).isEqualTo("a NUL character");
        assertThat(InputText.problem("\ud800")).isEqualTo("an unpaired UTF-16 surrogate");
        assertThat(InputText.problem("\udc00\ud800")).isEqualTo("an unpaired UTF-16 surrogate");
        assertThat(InputText.decodeComponent("a%20b+c", true, "q")).isEqualTo("a b c");
        assertThat(InputText.decodeComponent("a+b", false, "p")).isEqualTo("a+b");
        assertThatThrownBy(() -> InputText.decodeComponent("%ED%A0%80", true, "q")).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> InputText.decodeComponent("%C0%80", true, "q")).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> InputText.decodeComponent("%0", true, "q")).hasMessageContaining("percent");
    }

    @Test
    void pagingAsCinder() {
        assertThat(Paging.limit(java.util.Map.of(), 1000)).isEqualTo(1000);
        assertThat(Paging.limit(java.util.Map.of("limit", "99999999999999999999999"), 1000)).isEqualTo(1000);
        assertThat(Paging.offset(java.util.Map.of("offset", "-0"))).isZero();
        assertThat(Paging.offset(java.util.Map.of("offset", "2147483647"))).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> Paging.offset(java.util.Map.of("offset", "2147483648")))
                .hasMessage("offset must be <= 2147483647");
        assertThatThrownBy(() -> Paging.limit(java.util.Map.of("limit", "-99999999999999999999"), 1000))
                .hasMessage("limit param must be positive");
    }

    @Test
    void versionsBeyondAnyInt() {
        assertThatThrownBy(() -> ApiVersion.parseHeader("volume 3.999999999999"))
                .isInstanceOfSatisfying(CinderException.class, e -> assertThat(e.code()).isEqualTo(406))
                .hasMessage("Version 3.999999999999 is not supported by the API. Minimum is 3.0 and maximum is 3.70.");
        assertThat(ApiVersion.parseHeader("volume latest")).isEqualTo(ApiVersion.MAX);
        assertThat(ApiVersion.parseHeader("compute 2.1")).isEqualTo(ApiVersion.MIN);
    }
}
