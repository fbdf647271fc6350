package org.openstack.jcinder.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.config.SampleFile;

/**
 * The cinder.conf files of docker-compose.yml (etc/cinder/compose/), which no test can start here (no Docker
 * engine): each loads, authenticates with the compose Keystone, and names only declared options.
 */
class ComposeConfTest {

    private static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "etc", "cinder", "compose"))) {
            return s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
    }

    @Test
    void everyComposeFileLoadsWithKeystone() throws IOException {
        assertThat(files()).hasSize(4);
        for (Path f : files()) {
            CinderConfig c = CinderConfig.load(f);
            assertThat(c.authStrategy()).as(f.toString()).isEqualTo("keystone");
            assertThat(c.databaseConnection()).as(f.toString()).isPresent();
        }
    }

    @Test
    void everyOptionOutsideTheBackendsIsDeclared() throws IOException {
        Set<String> sections = CinderOptions.CATALOGUE.sections();
        for (Path f : files()) {
            assertThat(SampleFile.read(f).problems(CinderOptions.CATALOGUE, s -> sections.contains(s) ? s : null))
                    .as(f.toString()).allSatisfy(p -> assertThat(p).contains("is declared but the sample does not"));
        }
    }
}
