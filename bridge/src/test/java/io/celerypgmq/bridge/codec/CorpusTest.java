package io.celerypgmq.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The corpus travels with the repository: every case the index lists is there, bytes and description. */
class CorpusTest {

    @Test
    void everyIndexedCaseHasItsCapturedBytesAndItsDescription() {
        assertThat(Corpus.cases()).hasSize(171).doesNotHaveDuplicates();
        for (String name : Corpus.cases()) {
            assertThat(Corpus.raw(name)).as(name).isNotEmpty();
            assertThat(Corpus.sidecar(name).isObject()).as(name).isTrue();
        }
    }
}
