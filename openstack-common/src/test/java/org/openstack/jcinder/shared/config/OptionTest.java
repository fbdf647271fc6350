package org.openstack.jcinder.shared.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Declared options read a file as oslo.config does, and every refusal is one line naming file, section, key. */
class OptionTest {

    private final OptionCatalogue catalogue = new OptionCatalogue();
    private final Option<Integer> port = catalogue.integer("DEFAULT", "port", 8776, 0, 65535, "A port.");
    private final Option<Boolean> verify = catalogue.bool("DEFAULT", "verify", true, "Verify.");
    private final Option<List<String>> backends = catalogue.list("DEFAULT", "backends", "Backends.");
    private final Option<String> mode = catalogue.choice("s", "mode", "a", List.of("a", "b"), "A mode.");
    private final Option<String> url = catalogue.string("s", "url", null, "A URL.");

    private static IniFile ini(String... lines) {
        return IniFile.parse(Path.of("/etc/x.conf"), List.of(lines));
    }

    @Test
    void unsetOrBlankGivesTheDefault() {
        IniFile f = ini("[DEFAULT]", "port =", "[s]");
        assertThat(port.get(f)).isEqualTo(8776);
        assertThat(verify.get(f)).isTrue();
        assertThat(backends.get(f)).isEmpty();
        assertThat(mode.get(f)).isEqualTo("a");
        assertThat(url.find(f)).isEmpty();
    }

    @Test
    void readsWhatTheFileSays() {
        IniFile f = ini("[DEFAULT]", "port = 18776", "verify = off", "backends = a, ,b ", "[s]", "mode = b",
                "url = http://x/");
        assertThat(port.get(f)).isEqualTo(18776);
        assertThat(verify.get(f)).isFalse();
        assertThat(backends.get(f)).containsExactly("a", "b");
        assertThat(mode.get(f)).isEqualTo("b");
        assertThat(url.require(f)).isEqualTo("http://x/");
    }

    @Test
    void aBadValueNamesFileSectionAndKey() {
        assertThatThrownBy(() -> port.get(ini("[DEFAULT]", "port = 70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/x.conf: [DEFAULT] port: '70000' is not an integer between 0 and 65535");
        assertThatThrownBy(() -> verify.get(ini("[DEFAULT]", "verify = maybe")))
                .hasMessage("/etc/x.conf: [DEFAULT] verify: 'maybe' is not a boolean");
        assertThatThrownBy(() -> mode.get(ini("[s]", "mode = c")))
                .hasMessage("/etc/x.conf: [s] mode: 'c' is not a or b");
        assertThatThrownBy(() -> url.require(ini("[s]")))
                .hasMessage("/etc/x.conf: [s] url: required option is not set");
    }

    @Test
    void longsDecimalsAndChoicesOfMoreThanTwo() {
        OptionCatalogue c = new OptionCatalogue();
        Option<Long> bps = c.longInteger("b", "bps", 0, 0, Long.MAX_VALUE, "Bytes/s.");
        Option<Double> ratio = c.decimal("b", "ratio", 1.0, 1.0, Double.MAX_VALUE, "Ratio.");
        Option<String> type = c.choice("b", "type", "auto", List.of("default", "auto", "thin"), "Type.");
        IniFile f = ini("[b]", "bps = 10000000000", "ratio = 2.5");
        assertThat(bps.get(f)).isEqualTo(10_000_000_000L);
        assertThat(ratio.get(f)).isEqualTo(2.5);
        assertThat(ratio.formattedDefault()).contains("1.0");
        assertThatThrownBy(() -> ratio.get(ini("[b]", "ratio = 0.5")))
                .hasMessage("/etc/x.conf: [b] ratio: '0.5' is not a number between 1.0 and " + Double.MAX_VALUE);
        assertThatThrownBy(() -> bps.get(ini("[b]", "bps = -1"))).hasMessageContaining("'-1' is not an integer");
        assertThatThrownBy(() -> type.get(ini("[b]", "type = fat")))
                .hasMessage("/etc/x.conf: [b] type: 'fat' is not default, auto or thin");
    }

    /** A section that repeats (cinder.conf's backends) is declared once and read, or warned about, in each. */
    @Test
    void aRepeatedSectionIsDeclaredOnceAndCataloguesJoin() {
        OptionCatalogue common = new OptionCatalogue();
        Option<String> driver = common.string("backend", "driver", null, "Driver.");
        OptionCatalogue own = new OptionCatalogue();
        own.integer("backend", "streams", 4, 1, 64, "Streams.");
        OptionCatalogue both = OptionCatalogue.union(common, own);
        IniFile f = ini("[b1]", "driver = file", "streams = 2", "colour = red", "[b2]", "driver = lvm");
        assertThat(driver.in("b2").require(f)).isEqualTo("lvm");
        assertThat(both.unknown(f, "b1", "backend")).containsExactly("colour");
        assertThat(common.unknown(f, "b1", "backend")).containsExactly("streams", "colour");
        assertThatThrownBy(() -> OptionCatalogue.union(both, own)).hasMessageContaining("declared twice");
    }

    @Test
    void settingAValueCopiesTheFileAndIsReadBackChecked() {
        IniFile f = ini("[DEFAULT]", "verify = false");
        IniFile g = port.set(f, 1234);
        assertThat(port.get(g)).isEqualTo(1234);
        assertThat(verify.get(g)).isFalse();
        assertThat(port.get(f)).isEqualTo(8776);
        assertThat(g.source()).isEqualTo(f.source());
        assertThatThrownBy(() -> port.get(port.set(f, -1))).hasMessageContaining("'-1' is not an integer");
    }

    @Test
    void theCatalogueKnowsItsNamesAndRefusesADoubleDeclaration() {
        assertThat(catalogue.sections()).containsExactly("DEFAULT", "s");
        assertThat(catalogue.names("DEFAULT")).containsExactly("port", "verify", "backends");
        assertThat(mode.in("t").get(ini("[t]", "mode = b"))).isEqualTo("b");
        assertThat(port.formattedDefault()).contains("8776");
        assertThat(url.formattedDefault()).isEmpty();
        assertThatThrownBy(() -> catalogue.string("s", "url", null, "again"))
                .isInstanceOf(IllegalStateException.class);
    }
}
