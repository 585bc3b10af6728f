package io.klingbatch.generation;

import io.klingbatch.segmind.SegmindClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The {@link RunSession} of each job execution in this process, opened by its first worker and closed when the job
 * ends. Nothing here outlives the process or needs to: a restart opens a new session.
 */
@Component
public class RunSessions {

    private final Map<Long, RunSession> sessions = new ConcurrentHashMap<>();

    public RunSession open(long jobExecutionId, Supplier<SegmindClient> client) {
        return sessions.computeIfAbsent(jobExecutionId, id -> new RunSession(client.get()));
    }

    public void close(long jobExecutionId) {
        RunSession session = sessions.remove(jobExecutionId);
        if (session != null) {
            session.close();
        }
    }
}
