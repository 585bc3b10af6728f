package io.klingbatch.job;

import static io.klingbatch.WireMockApi.GENERATE;
import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.video;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.klingbatch.CampaignTestSupport;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.output.VideoStatus;
import io.klingbatch.segmind.SegmindConnector;
import io.klingbatch.segmind.SegmindSimulator;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;

/** N workers: never more than N calls in flight, and a stop at credits still pays each row once after the restart. */
class ConcurrencyTest extends CampaignTestSupport {

    @Autowired
    SegmindConnector connector;

    @Test
    void neverMoreThanNCallsInFlight() throws Exception {
        SERVER.stubFor(post(urlEqualTo(GENERATE)).willReturn(video("req").withFixedDelay(150)));
        Path csv = csv(rows("parallel", 12));

        var result = run(csv, 3);

        assertThat(result.summary().count(VideoStatus.GENERATED)).isEqualTo(12);
        assertThat(maxInFlight(SERVER.getAllServeEvents())).isBetween(2, 3);
    }

    @Test
    void moreWorkersThanDatabaseConnectionsStillFinish() throws Exception {
        // 400 rows for 12 workers: ranges of 3 rows, chunks of 2, so chunk transactions span several paid calls
        SERVER.stubFor(post(urlEqualTo(GENERATE)).willReturn(video("req").withFixedDelay(100)));
        Path csv = csv(rows("crowded", 400));

        var result = run(csv, 12);

        assertThat(result.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(result.summary().count(VideoStatus.GENERATED)).isEqualTo(400);
        assertThat(maxInFlight(SERVER.getAllServeEvents())).isGreaterThan(10);
    }

    @Test
    void aRestartWithSeveralWorkersAfterCreditsRanOutPaysEachRowOnce() throws Exception {
        SegmindSimulator simulator = connector.simulator();
        int before = simulator.generations();
        simulator.topUp(new BigDecimal("2.20").subtract(simulator.remainingCredits())); // five 5 s videos at 0.44
        Path csv = csv(rows("credit", 12));

        var stopped = launcher.run(new CampaignRun(campaign(csv), true, false, 3, 0));

        assertThat(stopped.execution().getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(stopped.summary().count(VideoStatus.GENERATED)).isEqualTo(5);
        assertThat(stopped.summary().count(VideoStatus.PENDING)).isEqualTo(7);

        simulator.topUp(new BigDecimal("100"));
        var resumed = launcher.run(new CampaignRun(campaign(csv), true, false, 3, 0));

        assertThat(resumed.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.execution().getJobInstance().getInstanceId()).isEqualTo(stopped.execution().getJobInstance().getInstanceId());
        assertThat(resumed.summary().count(VideoStatus.GENERATED)).isEqualTo(12);
        assertThat(simulator.generations() - before).as("paid generations").isEqualTo(12);
    }

    private static String rows(String word, int count) {
        StringBuilder csv = new StringBuilder("prompt,duration\n");
        IntStream.rangeClosed(1, count).forEach(i -> csv.append(word).append(" scene ").append(i).append(",5\n"));
        return csv.toString();
    }

    /** The most requests WireMock was serving at the same moment. */
    private static int maxInFlight(List<ServeEvent> events) {
        List<long[]> edges = new ArrayList<>();
        for (ServeEvent event : events) {
            long start = event.getRequest().getLoggedDate().getTime();
            edges.add(new long[] {start, 1});
            edges.add(new long[] {start + event.getTiming().getTotalTime(), -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int current = 0;
        int max = 0;
        for (long[] edge : edges) {
            current += (int) edge[1];
            max = Math.max(max, current);
        }
        return max;
    }
}
