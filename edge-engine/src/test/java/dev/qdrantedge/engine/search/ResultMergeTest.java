package dev.qdrantedge.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The merge queue pops hits in exactly the order Rust's {@code BinaryHeap} behind Qdrant's bounded priority
 * queue does. The expected orders were produced by pushing the same scores, in the same order, into Rust's
 * standard library heap.
 */
class ResultMergeTest {

    @Test
    void equalScoresComeOutInRustsHeapOrder() {
        assertOrder(5, new int[] {0, 2, 2, 0, 1, 2, 1, 2, 2, 0, 2, 0}, 7, 2, 1, 5, 8);
        assertOrder(7, new int[] {3, 2, 1, 1, 3, 3, 3, 1, 1, 1, 3, 0, 0, 1, 0, 2, 0, 2, 3, 3, 3, 3, 3, 1, 2, 0, 0, 1,
            3, 1}, 10, 18, 0, 4, 5, 6, 19);
        assertOrder(9, new int[] {1, 1, 1, 1, 1, 1, 1, 0, 1}, 0, 2, 1, 4, 5, 6, 3, 8, 7);
        assertOrder(10, new int[] {0, 2, 4, 1, 2, 4, 4, 4, 0, 1, 4, 2, 2, 0, 0, 3, 3, 0, 2, 0, 3, 1, 0, 2, 3, 3, 0, 0,
            4, 4, 0, 3, 4, 2, 4, 2, 4, 1, 0, 2}, 34, 2, 32, 28, 5, 6, 7, 29, 10, 36);
        assertOrder(5, new int[] {2, 2, 2, 2, 2}, 1, 2, 3, 4, 0);
        assertOrder(3, new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 1, 2, 0);
    }

    @Test
    void keepsTheBestWhenFull() {
        ResultMerge merge = new ResultMerge(2);
        merge.push(new ResultMerge.Hit(1.0f, 0, 0));
        merge.push(new ResultMerge.Hit(3.0f, 0, 1));
        merge.push(new ResultMerge.Hit(2.0f, 0, 2));
        merge.push(new ResultMerge.Hit(0.5f, 0, 3));
        assertThat(positions(merge.intoSorted())).containsExactly(1, 2);
        assertThat(new ResultMerge(3).intoSorted()).isEmpty();
    }

    private static void assertOrder(int capacity, int[] scores, int... expected) {
        ResultMerge merge = new ResultMerge(capacity);
        for (int i = 0; i < scores.length; i++) {
            merge.push(new ResultMerge.Hit(scores[i], 0, i));
        }
        assertThat(positions(merge.intoSorted())).containsExactly(java.util.Arrays.stream(expected).boxed()
                .toArray(Integer[]::new));
    }

    private static List<Integer> positions(List<ResultMerge.Hit> hits) {
        List<Integer> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.position()));
        return out;
    }
}
