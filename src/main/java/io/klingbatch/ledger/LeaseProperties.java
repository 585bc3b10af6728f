package io.klingbatch.ledger;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a run holds its campaign ({@code kling.lease.*}).
 *
 * @param ttl        how long a lease lives without renewal: after its process dies, the campaign is free again within this
 * @param renewEvery how often a live run renews it (a third of the ttl leaves two chances before it lapses)
 */
@ConfigurationProperties("kling.lease")
public record LeaseProperties(@DefaultValue("30s") Duration ttl, @DefaultValue("10s") Duration renewEvery) {
}
