/**
 * This member rejoined its consumer group after the first join: another member joined, left,
 * or died. Published by the consumers; the Redis resync listens (see HealAfterRebalanceHandler).
 */
export class ConsumerGroupRebalancedEvent {
  constructor(
    readonly groupId: string,
    readonly at: Date,
  ) {}
}
