package org.openstack.jcinder.all.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample dashboard ({@code etc/grafana/jcinder-dashboard.json}) an operator imports: it parses, its panels
 * do not overlap and use the data source variable, and every jcinder metric it queries is one docs/operations.md
 * documents (so a renamed meter cannot leave a silently empty panel behind), including the queue gauges and the
 * compute service's meters.
 */
class GrafanaDashboardTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern METRIC = Pattern.compile("\\b((?:cinder|nova_compute)_[a-z0-9_]+)");

    @Test
    void panelsParseDoNotOverlapAndQueryDocumentedMetrics() throws Exception {
        JsonNode dashboard = JsonMapper.builder().build().readTree(
                Files.readString(ROOT.resolve("etc/grafana/jcinder-dashboard.json")));
        String docs = Files.readString(ROOT.resolve("docs/operations.md"));

        List<int[]> boxes = new ArrayList<>();
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            String title = panel.get("title").asString();
            assertThat(panel.get("datasource").get("uid").asString()).as(title).isEqualTo("${datasource}");
            JsonNode g = panel.get("gridPos");
            int[] box = {g.get("x").asInt(), g.get("y").asInt(), g.get("w").asInt(), g.get("h").asInt()};
            assertThat(box[0] + box[2]).as(title + " fits the 24-column grid").isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                        && box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
                assertThat(overlap).as(title + " overlaps another panel").isFalse();
            }
            boxes.add(box);
            Set<String> refIds = new HashSet<>();
            assertThat(panel.get("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                assertThat(refIds.add(target.get("refId").asString())).as(title + " refIds").isTrue();
                Matcher m = METRIC.matcher(target.get("expr").asString());
                while (m.find()) {
                    queried.add(m.group(1).replaceFirst("_(bucket|count|sum)$", ""));
                }
            }
        }
        assertThat(queried).contains("cinder_migrations_queued", "cinder_migrations_running",
                "nova_compute_swap_volume_started_total", "nova_compute_swap_volume_finished_total",
                "nova_compute_block_copy_bytes_total", "nova_compute_block_copy_duration_seconds",
                "nova_compute_block_copy_pivot_seconds", "nova_compute_cinder_completion_seconds",
                "nova_compute_cinder_completion_errors_total");
        for (String metric : queried) {
            assertThat(docs).as("docs/operations.md documents " + metric).contains("`" + metric + "`");
        }
    }
}
