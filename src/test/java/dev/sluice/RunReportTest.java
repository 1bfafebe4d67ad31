package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {

    @Test
    void theJsonReportCountsWhatAStoppedRunCutInFlight() {
        // 8 read, 4 written, 4 still in flight when a second signal cut them
        ObjectNode cutShort = new RunReport(8, 4, 0, 0, 0, Map.of(), 8, 0, 0, 3000, 0).toJson();

        assertThat(cutShort.get("cut_in_flight").asLong()).isEqualTo(4);
        assertThat(cutShort.get("balanced").asBoolean()).isFalse();
        assertThat(cutShort.get("inputs").asLong() + cutShort.get("expanded").asLong())
                .isEqualTo(cutShort.get("outputs").asLong() + cutShort.get("merged").asLong()
                        + cutShort.get("filtered").asLong() + cutShort.get("dead_lettered").asLong()
                        + cutShort.get("cut_in_flight").asLong());

        ObjectNode whole = new RunReport(8, 5, 1, 0, 2, Map.of("parse", 2L), 8, 0, 0, 3000, 0).toJson();
        assertThat(whole.get("cut_in_flight").asLong()).isZero();
        assertThat(whole.get("balanced").asBoolean()).isTrue();
    }
}
