package dev.qdrantedge.spring.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The order check of the sync tests finds what it must find, so that its passing means something. */
class DeliveryOrderTest {

    private static final List<OperationMarks.Mark> ACCEPTED = IntStream.range(0, 10).mapToObj(DeliveryOrderTest::mark)
            .toList();

    @Test
    void consecutiveBatchesInOrderPass() {
        DeliveryOrder.Result result = DeliveryOrder.check(ACCEPTED, List.of(request(1, "a", 0, 4), request(2, "a", 4, 7),
                request(3, "b", 7, 10)));

        assertThat(result).isEqualTo(new DeliveryOrder.Result(3, 0, 0, 0));
    }

    @Test
    void aRestartedClientMayDeliverTheLastBatchAgainWholeAndMore() {
        DeliveryOrder.Result result = DeliveryOrder.check(ACCEPTED, List.of(request(1, "a", 0, 4), request(2, "a", 4, 7),
                request(3, "b", 4, 9), request(4, "b", 9, 10)));

        assertThat(result).isEqualTo(new DeliveryOrder.Result(4, 1, 3, 0));
    }

    @Test
    void aRefusedBatchMayBeRetriedOneOperationAtATimeAndAnOperationSentAgainWithFewerPoints() {
        OperationMarks.Mark fewerPoints = new OperationMarks.Mark("UPSERT", Set.of(), Set.of(5L), Set.of());

        DeliveryOrder.Result result = DeliveryOrder.check(ACCEPTED, List.of(request(1, "a", 0, 4),
                request(2, "a", 4, 8), request(3, "a", 4, 5), request(4, "a", 5, 6),
                new DeliveryOrder.Received(5, "a", List.of(fewerPoints)), request(6, "a", 6, 10)));

        assertThat(result).isEqualTo(new DeliveryOrder.Result(6, 0, 0, 2));
    }

    @Test
    void anOperationHandedOverBeforeMayComeAgainRestrictedOrNotAtAll() {
        OperationMarks.Mark deleteByFilter = ACCEPTED.get(5);
        OperationMarks.Mark restrictedDelete = new OperationMarks.Mark("DELETE_POINTS",
                Set.of(MixedOperations.pointId(3)), Set.of(), Set.of());
        Map<OperationMarks.Mark, Optional<OperationMarks.Mark>> restricted = Map.of(deleteByFilter,
                Optional.of(restrictedDelete), ACCEPTED.get(6), Optional.empty());

        DeliveryOrder.Result result = DeliveryOrder.check(ACCEPTED, restricted, List.of(request(1, "a", 0, 4),
                request(2, "a", 4, 7),
                new DeliveryOrder.Received(3, "b", List.of(ACCEPTED.get(4), restrictedDelete, ACCEPTED.get(7))),
                request(4, "b", 8, 10)));

        assertThat(result.redeliveries()).isEqualTo(1);
        assertThatThrownBy(() -> DeliveryOrder.check(ACCEPTED, restricted, List.of(request(1, "a", 0, 4),
                request(2, "a", 4, 7), new DeliveryOrder.Received(3, "b", List.of(ACCEPTED.get(4), ACCEPTED.get(7))),
                request(4, "b", 8, 10)))).as("only an operation restricted to nothing may be left out")
                .isInstanceOf(AssertionError.class).hasMessageContaining("request 3 from b");
    }

    @Test
    void anOperationSentAgainWithOtherPointsFails() {
        OperationMarks.Mark otherPoints = new OperationMarks.Mark("UPSERT", Set.of(MixedOperations.pointId(77)),
                Set.of(5L), Set.of());

        assertThatThrownBy(() -> DeliveryOrder.check(ACCEPTED, List.of(request(1, "a", 0, 5),
                request(2, "a", 5, 6), new DeliveryOrder.Received(3, "a", List.of(otherPoints)),
                request(4, "a", 6, 10)))).isInstanceOf(AssertionError.class).hasMessageContaining("request 3 from a");
    }

    @Test
    void aRepeatWithoutRestartFails() {
        assertThatThrownBy(() -> DeliveryOrder.check(ACCEPTED, List.of(request(1, "a", 0, 4), request(2, "a", 0, 4),
                request(3, "a", 4, 10)))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("request 2 from a").hasMessageContaining("where accepted operation 4 was due");
    }

    @Test
    void aRepeatOfAnOlderBatchOrOfPartOfOneFails() {
        assertThatThrownBy(() -> DeliveryOrder.check(ACCEPTED, List.of(request(1, "a", 0, 4), request(2, "a", 4, 7),
                request(3, "b", 0, 10)))).isInstanceOf(AssertionError.class).hasMessageContaining("request 3 from b");
        assertThatThrownBy(() -> DeliveryOrder.check(ACCEPTED, List.of(request(1, "a", 0, 4), request(2, "a", 4, 7),
                request(3, "b", 4, 6), request(4, "b", 6, 10)))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("part of the batch 4-6 only");
    }

    @Test
    void operationsOutOfOrderFail() {
        List<OperationMarks.Mark> swapped = List.of(mark(0), mark(2), mark(1));

        assertThatThrownBy(() -> DeliveryOrder.check(ACCEPTED.subList(0, 3), List.of(
                new DeliveryOrder.Received(1, "a", swapped)))).isInstanceOf(AssertionError.class);
    }

    @Test
    void aMissingTailOrAnOperationNeverAcceptedFails() {
        assertThatThrownBy(() -> DeliveryOrder.check(ACCEPTED, List.of(request(1, "a", 0, 9))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("the first 9 of 10");
        assertThatThrownBy(() -> DeliveryOrder.check(ACCEPTED, List.of(request(1, "a", 0, 10),
                new DeliveryOrder.Received(2, "a", List.of(mark(99)))))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("after every accepted operation was delivered");
    }

    private static DeliveryOrder.Received request(long sequence, String client, int from, int to) {
        return new DeliveryOrder.Received(sequence, client, ACCEPTED.subList(from, to));
    }

    private static OperationMarks.Mark mark(int n) {
        return new OperationMarks.Mark("UPSERT", Set.of(MixedOperations.pointId(1 + n % 3)), Set.of((long) n), Set.of());
    }
}
