package dev.qdrantedge.engine.idtracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PointIdTest {

    @Test
    void numbersSortBeforeUuidsAndBothCompareUnsigned() {
        PointId big = PointId.of(-1L); // 2^64 - 1
        PointId one = PointId.of(1);
        PointId lowUuid = PointId.of(UUID.fromString("00000000-0000-0000-0000-000000000001"));
        PointId highUuid = PointId.of(UUID.fromString("ff000000-0000-0000-0000-000000000000"));
        List<PointId> ids = new ArrayList<>(List.of(highUuid, big, lowUuid, one));
        ids.sort(null);
        assertThat(ids).containsExactly(one, big, lowUuid, highUuid);
    }

    @Test
    void parsesQdrantJsonForms() {
        assertThat(PointId.parse("18446744073709551615")).isEqualTo(PointId.of(-1L));
        assertThat(PointId.parse("18446744073709551615").toString()).isEqualTo("18446744073709551615");
        assertThat(PointId.parse("550e8400-e29b-41d4-a716-446655440000"))
                .isEqualTo(PointId.of(UUID.fromString("550e8400-e29b-41d4-a716-446655440000")));
        assertThatThrownBy(() -> PointId.parse("18446744073709551616")).hasMessageContaining("out of the unsigned");
        assertThatThrownBy(() -> PointId.parse("-3")).hasMessageContaining("not a point id");
    }
}
