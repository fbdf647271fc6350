package org.openstack.jcinder.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.config.SampleFile;

/** etc/cinder/cinder.conf, the operator's reference, says what the declarations say. */
class SampleCinderConfTest {

    private static final Path SAMPLE = Path.of("..", "etc", "cinder", "cinder.conf");

    @Test
    void theSampleLoads() {
        CinderConfig config = CinderConfig.load(SAMPLE);
        assertThat(config.backends()).isNotEmpty();
    }

    @Test
    void everyOptionOutsideTheBackendsIsDeclaredAndEveryDeclaredOneShownWithItsDefault() {
        SampleFile sample = SampleFile.read(SAMPLE);
        Set<String> sections = CinderOptions.CATALOGUE.sections();
        assertThat(sample.problems(CinderOptions.CATALOGUE, s -> sections.contains(s) ? s : null)).isEmpty();
    }

    @Test
    void everySectionIsKnownOrABackend() {
        SampleFile sample = SampleFile.read(SAMPLE);
        Set<String> backends = sample.lines().stream().filter(l -> l.name().equals("volume_driver"))
                .map(SampleFile.Line::section).collect(Collectors.toSet());
        assertThat(sample.lines()).allSatisfy(l -> assertThat(
                CinderOptions.CATALOGUE.sections().contains(l.section()) || backends.contains(l.section()))
                .as("[%s] %s", l.section(), l.name()).isTrue());
    }

    /**
     * The options every backend section has must be shown; the drivers' own options are declared in
     * cinder-volume, whose SampleCinderConfTest checks the backend sections against them.
     */
    @Test
    void theCommonBackendOptionsAreShownInTheBackendSections() {
        SampleFile sample = SampleFile.read(SAMPLE);
        Set<String> backends = sample.lines().stream().filter(l -> l.name().equals("volume_driver"))
                .map(SampleFile.Line::section).collect(Collectors.toSet());
        assertThat(sample.problems(BackendOptions.CATALOGUE, s -> backends.contains(s) ? BackendOptions.SECTION : null))
                .allSatisfy(p -> assertThat(p).contains("is not a declared option of [backend]"));
    }
}
