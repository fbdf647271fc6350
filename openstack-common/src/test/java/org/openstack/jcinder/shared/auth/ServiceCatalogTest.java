package org.openstack.jcinder.shared.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/** The endpoint keystoneauth would pick from a v3 token's catalog, and its EndpointNotFound when there is none. */
class ServiceCatalogTest {

    private static final ServiceCatalog CATALOG = ServiceCatalog.of(JsonMapper.builder().build().readTree("""
            {"project": {"id": "p1"}, "catalog": [
              {"type": "volumev3", "name": "cinderv3", "endpoints": [
                {"interface": "admin", "region_id": "RegionOne", "region": "RegionOne", "url": "http://a/v3/p1"},
                {"interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "http://one/v3/p1"},
                {"interface": "public", "region_id": "RegionTwo", "region": "RegionTwo", "url": "http://two/v3/p1"}]},
              {"type": "volumev3", "name": "other", "endpoints": [
                {"interface": "public", "region_id": "RegionThree", "url": "http://three/v3"}]},
              {"type": "compute", "name": "nova", "endpoints": [
                {"interface": "public", "region_id": "RegionOne", "url": "http://nova/v2.1"}]}]}"""));

    @Test
    void theFirstEndpointOfTheTypeOnTheInterfaceInTheRegion() {
        assertThat(CATALOG.endpoint("volumev3", Optional.empty(), "public", Optional.empty())).isEqualTo("http://one/v3/p1");
        assertThat(CATALOG.endpoint("volumev3", Optional.empty(), "publicURL", Optional.of("RegionTwo")))
                .isEqualTo("http://two/v3/p1");
        assertThat(CATALOG.endpoint("volumev3", Optional.empty(), "adminURL", Optional.empty())).isEqualTo("http://a/v3/p1");
        assertThat(CATALOG.endpoint("volumev3", Optional.of("other"), "public", Optional.empty()))
                .isEqualTo("http://three/v3");
        assertThat(CATALOG.endpoint("compute", Optional.empty(), "public", Optional.of("RegionOne")))
                .isEqualTo("http://nova/v2.1");
        assertThat(CATALOG.projectId()).contains("p1");
    }

    @Test
    void nothingMatchingIsKeystoneauthsEndpointNotFound() {
        assertThatThrownBy(() -> CATALOG.endpoint("compute", Optional.empty(), "internal", Optional.empty()))
                .isInstanceOf(ServiceCatalog.EndpointNotFound.class)
                .hasMessageStartingWith("Could not find requested endpoint in Service Catalog. (service_type "
                        + "compute, interface internal, region_name any; the token's catalog has ");
        assertThatThrownBy(() -> ServiceCatalog.EMPTY.endpoint("compute", Optional.empty(), "public",
                Optional.of("R")))
                .hasMessage("Could not find requested endpoint in Service Catalog. (service_type compute, "
                        + "interface public, region_name R; the token's catalog has no endpoints)");
    }
}
