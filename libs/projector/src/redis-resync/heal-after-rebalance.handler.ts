import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { AppConfig } from '@app/config';
import { ConsumerGroupRebalancedEvent } from './consumer-group-rebalanced.event';
import { RedisResyncLoop } from './redis-resync.loop';

/**
 * A rebalance may mean a member died between its PostgreSQL commit and its Redis write, while
 * the others moved the Redis meta seq past that batch: nothing in Redis shows the gap. The
 * group notices a death one session timeout after the member's last heartbeat (at most one
 * heartbeat interval before it died), and this member rejoins within a few seconds of that;
 * three session timeouts back is before any such batch committed, with room for a slow rejoin
 * and a batch transaction that ran long. What changed since is copied again (version-fenced,
 * so copying twice is harmless).
 */
@EventsHandler(ConsumerGroupRebalancedEvent)
export class HealAfterRebalanceHandler implements IEventHandler<ConsumerGroupRebalancedEvent> {
  constructor(
    private readonly loop: RedisResyncLoop,
    private readonly config: AppConfig,
  ) {}

  handle(event: ConsumerGroupRebalancedEvent): void {
    this.loop.suspectLostWrites(event.at.getTime() - 3 * this.config.env.KAFKA_SESSION_TIMEOUT);
  }
}
