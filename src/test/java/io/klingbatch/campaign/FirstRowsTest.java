package io.klingbatch.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FirstRowsTest {

    @Test
    void remembersTheFirstRowOfEachIdIgnoringCase() {
        FirstRows ids = new FirstRows();

        assertThat(ids.putIfAbsent("Hero", 1)).isZero();
        assertThat(ids.putIfAbsent("teaser", 2)).isZero();
        assertThat(ids.putIfAbsent("hero", 3)).isEqualTo(1);
        assertThat(ids.putIfAbsent("TEASER", 4)).isEqualTo(2);
    }

    @Test
    void keepsEveryIdAcrossGrowth() {
        FirstRows ids = new FirstRows();
        for (int row = 1; row <= 200_000; row++) {
            assertThat(ids.putIfAbsent("row-" + row, row)).isZero();
        }
        for (int row = 1; row <= 200_000; row += 997) {
            assertThat(ids.putIfAbsent("ROW-" + row, 300_000)).isEqualTo(row);
        }
    }
}
