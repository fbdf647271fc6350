package org.openstack.jcinder.shared.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * The service catalog of a Keystone v3 token ({@code token.catalog}), and the endpoint lookup keystoneauth does
 * on it ({@code session.get_endpoint(service_type=…, service_name=…, interface=…, region_name=…)}): the first
 * endpoint of a service of that type (and name, when given) on that interface (keystoneauth's {@code publicURL}
 * spelling is the same as {@code public}) in that region (any region when none is given). {@code projectId} is
 * the token's project, which Keystone substituted for {@code %(project_id)s} in endpoint URLs.
 */
public record ServiceCatalog(List<Entry> entries, Optional<String> projectId) {

    /** One endpoint of one service, as the token lists it. */
    public record Entry(String serviceType, String serviceName, String iface, String region, String url) {
    }

    public static final ServiceCatalog EMPTY = new ServiceCatalog(List.of(), Optional.empty());

    /** The catalog of a token document's {@code token} object; empty when it has none ({@code ?nocatalog}). */
    public static ServiceCatalog of(JsonNode token) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode service : token.path("catalog")) {
            for (JsonNode e : service.path("endpoints")) {
                String region = e.hasNonNull("region_id") ? e.get("region_id").asString()
                        : e.path("region").asString(null);
                entries.add(new Entry(service.path("type").asString(""), service.path("name").asString(""),
                        e.path("interface").asString(""), region, e.path("url").asString("")));
            }
        }
        return new ServiceCatalog(List.copyOf(entries), Optional.ofNullable(token.path("project").path("id")
                .asString(null)));
    }

    /**
     * The URL of the endpoint a keystoneauth client would pick, or {@link EndpointNotFound} with what was asked.
     */
    public String endpoint(String serviceType, Optional<String> serviceName, String iface, Optional<String> region) {
        String wanted = normalise(iface);
        for (Entry e : entries) {
            if (e.serviceType().equals(serviceType)
                    && (serviceName.isEmpty() || serviceName.get().equals(e.serviceName()))
                    && normalise(e.iface()).equals(wanted)
                    && (region.isEmpty() || region.get().equals(e.region()))) {
                return e.url();
            }
        }
        throw new EndpointNotFound(serviceType, serviceName, wanted, region, this);
    }

    /** keystoneauth accepts the v2 names ({@code publicURL}, {@code internalURL}, {@code adminURL}). */
    static String normalise(String iface) {
        return iface.endsWith("URL") ? iface.substring(0, iface.length() - 3) : iface;
    }

    /** keystoneauth's {@code EndpointNotFound}, with its words and what was looked for. */
    public static final class EndpointNotFound extends RuntimeException {

        /** keystoneauth1.exceptions.catalog.EndpointNotFound's message. */
        public static final String MESSAGE = "Could not find requested endpoint in Service Catalog.";

        EndpointNotFound(String type, Optional<String> name, String iface, Optional<String> region,
                         ServiceCatalog catalog) {
            super(MESSAGE + " (service_type " + type + name.map(n -> ", service_name " + n).orElse("")
                    + ", interface " + iface + ", region_name " + region.orElse("any") + "; the token's catalog has "
                    + (catalog.entries().isEmpty() ? "no endpoints" : catalog.summary()) + ")");
        }
    }

    /** What the catalog offers, each service type, interface and region once. */
    private String summary() {
        java.util.Set<String> s = new java.util.LinkedHashSet<>();
        for (Entry e : entries) {
            s.add(e.serviceType() + "/" + e.iface() + "@" + e.region());
        }
        return String.join(", ", s);
    }
}
