/**
 * Freshness probes: probe n is sent at `sentAt[n]`; a watcher that sees a count of k at time t
 * has seen probes 1..k (they share one partition, so they apply in order), each `t - sentAt`
 * after it was handed to the producer.
 */
export class ProbeLatencies {
  private seen = 0;
  readonly latencies: number[] = [];

  constructor(private readonly sentAt: number[]) {}

  observe(count: number, at: number): void {
    for (; this.seen < Math.min(count, this.sentAt.length); this.seen += 1) {
      this.latencies.push(at - this.sentAt[this.seen]);
    }
  }

  /** Starts a new run: forget latencies, keep the position. */
  reset(): void {
    this.latencies.length = 0;
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Calls `read` every `everyMs` until stopped; each answer goes to `onValue` with its time. */
export function poll(
  read: () => Promise<number>,
  onValue: (value: number, at: number) => void,
  everyMs = 5,
): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const value = await read();
      onValue(value, performance.now());
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
