package io.hearth.cloud;

import io.hearth.cloud.upstream.UpstreamMessage;
import io.hearth.cloud.upstream.UpstreamSession;
import io.hearth.shadow.ShadowDocument;
import io.hearth.shadow.ShadowName;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;

/** How the hub's shadows meet the cloud: one of the two {@code hearth.cloud.mode}s. */
public interface Federation {

    /** Loads what was pending when the hub stopped and queues what changed while it was off. */
    void start(DataSource dataSource) throws Exception;

    /** Completes once the session is ready to take the cloud's messages. */
    CompletionStage<Void> connected(UpstreamSession session);

    void disconnected();

    /** A message from the cloud, on the client's thread; must not block. */
    void received(UpstreamSession from, UpstreamMessage message);

    /** A committed local change, on the shadow service's event thread; must not block. */
    void shadowChanged(ShadowName name, ShadowDocument previous, ShadowDocument current);

    /** Sends the hub's own status when it changed. */
    void refreshHub();

    /** Devices whose latest change has not reached the cloud yet. */
    int queued();

    /** Figures for the health report. */
    Map<String, Object> details();

    void stop();
}
