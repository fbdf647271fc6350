package org.openstack.jcinder.compute.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.config.SampleFile;

/** etc/nova/nova.conf, the operator's reference, says what the declarations say. */
class SampleNovaConfTest {

    private static final Path SAMPLE = Path.of("..", "etc", "nova", "nova.conf");

    @Test
    void theSampleLoads() {
        assertThat(NovaConfig.load(SAMPLE).computeDriver()).isEqualTo("libvirt.LibvirtDriver");
    }

    @Test
    void everyOptionIsDeclaredInItsSectionAndEveryDeclaredOneShownWithItsDefault() {
        SampleFile sample = SampleFile.read(SAMPLE);
        assertThat(sample.lines()).isNotEmpty();
        assertThat(sample.problems(NovaOptions.CATALOGUE, s -> s)).isEmpty();
    }
}
