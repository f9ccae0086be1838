package io.celerypgmq.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.bridge.codec.PriorityKeys.QueueStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kombu's priority list names (CELERY-WIRE.md §6), including the corpus's own captures. */
class PriorityKeysTest {
    private final PriorityKeys keys = PriorityKeys.defaults();

    @Test
    void defaultStepsMapPrioritiesToFourLists() {
        assertThat(keys.keyFor("celery", null)).isEqualTo("celery");
        assertThat(keys.keyFor("celery", 0)).isEqualTo("celery");
        assertThat(keys.keyFor("celery", 2)).isEqualTo("celery");
        assertThat(keys.keyFor("celery", 4)).isEqualTo("celery\u0006\u00163");
        assertThat(keys.keyFor("celery", 8)).isEqualTo("celery\u0006\u00166");
        assertThat(keys.keyFor("celery", 9)).isEqualTo("celery\u0006\u00169");
    }

    @Test
    void outOfRangePrioritiesAreClampedForTheListOnly() {
        assertThat(keys.keyFor("celery", 15)).isEqualTo("celery\u0006\u00169");
        assertThat(keys.keyFor("celery", -3)).isEqualTo("celery");
    }

    @Test
    void tenStepsAndAColonSeparatorNameEveryPriority() {
        PriorityKeys ten = keys.withSteps(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)).withSeparator(":");
        assertThat(ten.keyFor("celery", 4)).isEqualTo("celery:4");
        assertThat(ten.keyFor("celery", 0)).isEqualTo("celery");
        assertThat(ten.parse("celery:9")).contains(new QueueStep("celery", 9));
    }

    @Test
    void aGlobalKeyPrefixIsAddedAndStripped() {
        PriorityKeys prefixed = keys.withGlobalKeyPrefix("pfx:");
        assertThat(prefixed.keyFor("celery", 9)).isEqualTo("pfx:celery\u0006\u00169");
        assertThat(prefixed.unprefixedKeyFor("celery", 9)).isEqualTo("celery\u0006\u00169");
        assertThat(prefixed.parse("pfx:celery\u0006\u00169")).contains(new QueueStep("celery", 9));
        assertThat(prefixed.parse("celery")).isEmpty();
    }

    @Test
    void keysParseBackToQueueAndStep() {
        assertThat(keys.parse("q_custom\u0006\u00166")).contains(new QueueStep("q_custom", 6));
        assertThat(keys.parse("celery")).contains(new QueueStep("celery", 0));
        assertThat(keys.parse("odd\u0006\u00165")).as("5 is not a step").contains(new QueueStep("odd\u0006\u00165", 0));
    }

    @Test
    void consumptionOrderIsStepFirstThenQueueAsTheWorkerBrpops() {
        assertThat(keys.consumptionOrder(List.of("celery", "other")))
                .containsExactly(
                        "celery", "other",
                        "celery\u0006\u00163", "other\u0006\u00163",
                        "celery\u0006\u00166", "other\u0006\u00166",
                        "celery\u0006\u00169", "other\u0006\u00169");
    }

    @Test
    void aPriorityBelowTheFirstStepLandsOnTheLastStepAsInKombu() {
        assertThat(keys.withSteps(List.of(3, 6, 9)).step(0)).isEqualTo(9);
    }

    @Test
    void badConfigurationIsRefused() {
        assertThatThrownBy(() -> keys.withSteps(List.of())).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> keys.withSteps(List.of(0, 10))).hasMessageContaining("within 0..9");
        assertThatThrownBy(() -> keys.withSeparator("")).hasMessageContaining("separator");
    }
}
