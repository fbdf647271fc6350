package org.openstack.jcinder.volume.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.config.BackendOptions;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;
import org.openstack.jcinder.shared.config.SampleFile;
import org.openstack.jcinder.volume.copy.CopyOptions;
import org.openstack.jcinder.volume.driver.file.FileOptions;
import org.openstack.jcinder.volume.driver.lvm.LvmOptions;
import org.openstack.jcinder.volume.driver.target.TargetOptions;

/**
 * The backend sections of etc/cinder/cinder.conf (cinder-common's test of the same name checks the rest):
 * each option a backend section shows is one its driver declares, a commented one shows its default, and every
 * declared option is shown in some backend section of a driver that knows it.
 */
class SampleCinderConfTest {

    private static final Path SAMPLE = Path.of("..", "etc", "cinder", "cinder.conf");

    /** Every catalogue of backend-section options; each must be shown somewhere. */
    private static final List<OptionCatalogue> CATALOGUES = List.of(BackendOptions.CATALOGUE,
            DriverOptions.CATALOGUE, CopyOptions.CATALOGUE, FileOptions.CATALOGUE, LvmOptions.CATALOGUE,
            TargetOptions.CATALOGUE);

    @Test
    void everyOptionOfABackendSectionIsDeclaredForItsDriverAndEveryDeclaredOneShown() {
        SampleFile sample = SampleFile.read(SAMPLE);
        Map<String, OptionCatalogue> backends = backends(sample);
        assertThat(backends).containsKeys("file-1", "file-2", "lvm-1");

        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, OptionCatalogue> backend : backends.entrySet()) {
            // Declared-but-not-shown is checked below, across the sections: a section need not show all.
            sample.problems(backend.getValue(), s -> s.equals(backend.getKey()) ? BackendOptions.SECTION : null)
                    .stream().filter(p -> !p.endsWith("does not show it")).forEach(problems::add);
        }
        for (OptionCatalogue catalogue : CATALOGUES) {
            for (Option<?> option : catalogue.all()) {
                boolean shown = sample.lines().stream().anyMatch(l -> l.name().equals(option.name())
                        && backends.containsKey(l.section())
                        && backends.get(l.section()).names(BackendOptions.SECTION).contains(option.name()));
                if (!option.ignored() && !shown) {
                    problems.add("[backend] " + option.name() + " is declared but no backend section of the sample "
                            + "shows it");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aDriversSectionKnowsTheCommonOptionsAndOnlyItsOwn() {
        OptionCatalogue file = VolumeDriverFactory.options("file").orElseThrow();
        OptionCatalogue lvm = VolumeDriverFactory.options("cinder.volume.drivers.lvm.LVMVolumeDriver").orElseThrow();
        assertThat(file.names(BackendOptions.SECTION)).contains("volume_driver", "reserved_percentage",
                "volume_copy_engine", "file_volume_dir", "target_helper").doesNotContain("volume_group");
        assertThat(lvm.names(BackendOptions.SECTION)).contains("volume_backend_name", "volume_dd_blocksize",
                "volume_group", "lvm_type").doesNotContain("file_volume_dir");
        assertThat(VolumeDriverFactory.options("nfs")).isEmpty();
        IniFile f = IniFile.parse(Path.of("t.conf"), List.of("[f]", "volume_driver = file", "volume_group = vg",
                "volume_copy_streams = 2", "colour = red"));
        assertThat(file.unknown(f, "f", BackendOptions.SECTION)).containsExactly("volume_group", "colour");
    }

    /** The sample's backend sections (shown or commented, like #[lvm-1]), each with what its driver knows. */
    private static Map<String, OptionCatalogue> backends(SampleFile sample) {
        Map<String, OptionCatalogue> out = new LinkedHashMap<>();
        for (SampleFile.Line line : sample.lines()) {
            if (line.name().equals(BackendOptions.VOLUME_DRIVER.name())) {
                out.put(line.section(), VolumeDriverFactory.options(line.value()).orElseThrow(
                        () -> new AssertionError("[" + line.section() + "] names an unknown driver " + line.value())));
            }
        }
        return out;
    }
}
