package org.openstack.jcinder.api.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The {@code metadata} list filter reads what Python's {@code ast.literal_eval} reads as a dict. */
class MetadataFilterTest {

    @Test
    void jsonAndPythonDictsAreTheSamePairs() {
        assertThat(MetadataFilter.parse("{\"k\": \"v\"}").pairs()).isEqualTo(Map.of("k", "v"));
        assertThat(MetadataFilter.parse(" {'k':'v', 'a b': \"c'd\",} ").pairs())
                .isEqualTo(Map.of("k", "v", "a b", "c'd"));
        assertThat(MetadataFilter.parse("{}").pairs()).isEmpty();
        assertThat(MetadataFilter.parse("{}").matchesNothing()).isFalse();
    }

    @Test
    void literalsCompareAsTheirPythonText() {
        assertThat(MetadataFilter.parse("{'n': 7, 'b': True, 'z': None}").pairs())
                .isEqualTo(Map.of("n", "7", "b", "True", "z", "None"));
    }

    @Test
    void anythingElseMatchesNothing() {
        for (String value : new String[] {"k=v", "", "[1]", "{'k': v}", "{'k': 'v'", "{'k': 'v'} x", "'k'", "{'n': 007}"}) {
            assertThat(MetadataFilter.parse(value).matchesNothing()).as(value).isTrue();
        }
        assertThat(MetadataFilter.parse(null)).isNull();
    }
}
