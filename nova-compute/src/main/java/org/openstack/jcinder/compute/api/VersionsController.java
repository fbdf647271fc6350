package org.openstack.jcinder.compute.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Version discovery, as clients do it before anything else: {@code GET /} and {@code GET /v2.1}. */
@RestController
public class VersionsController {

    @GetMapping("/")
    public Map<String, Object> versions(ComputeRequest req) {
        return Map.of("versions", List.of(version(req)));
    }

    @GetMapping({"/v2.1", "/v2.1/"})
    public Map<String, Object> current(ComputeRequest req) {
        return Map.of("version", version(req));
    }

    private static Map<String, Object> version(ComputeRequest req) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", "v2.1");
        v.put("status", "CURRENT");
        v.put("version", ComputeApiVersion.MAX.toString());
        v.put("min_version", ComputeApiVersion.MIN.toString());
        v.put("updated", "2013-07-23T11:33:21Z");
        v.put("links", List.of(Map.of("rel", "self", "href", req.baseUrl() + "/v2.1/")));
        v.put("media-types", List.of(Map.of("base", "application/json",
                "type", "application/vnd.openstack.compute+json;version=2.1")));
        return v;
    }
}
