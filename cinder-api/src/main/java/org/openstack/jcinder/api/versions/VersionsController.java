package org.openstack.jcinder.api.versions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.ApiVersion;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Version discovery: {@code GET /} answers 300 with the list (clients negotiate from it); {@code GET /v3/}
 * answers 200 with the same list, as Cinder's v3 router does (its {@code index}: {@code {"versions": [...]}}).
 */
@RestController
public class VersionsController {

    @GetMapping("/")
    public ResponseEntity<Map<String, Object>> versions(ApiRequest req) {
        return ResponseEntity.status(HttpStatus.MULTIPLE_CHOICES).body(Map.of("versions", List.of(v3(req))));
    }

    @GetMapping({"/v3", "/v3/"})
    public Map<String, Object> v3Document(ApiRequest req) {
        return Map.of("versions", List.of(v3(req)));
    }

    private static Map<String, Object> v3(ApiRequest req) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", "v3.0");
        v.put("status", "CURRENT");
        v.put("version", ApiVersion.MAX.toString());
        v.put("min_version", ApiVersion.MIN.toString());
        v.put("updated", "2022-08-31T00:00:00Z");
        v.put("links", List.of(
                Map.of("rel", "describedby", "type", "text/html", "href", "https://docs.openstack.org/"),
                Map.of("rel", "self", "href", req.baseUrl() + "/v3/")));
        v.put("media-types", List.of(Map.of("base", "application/json",
                "type", "application/vnd.openstack.volume+json;version=3")));
        return v;
    }
}
