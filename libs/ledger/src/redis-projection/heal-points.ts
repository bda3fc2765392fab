/**
 * The seq PostgreSQL had reached at each past resync cycle. After another projector instance
 * may have died between its commit and its Redis write, the resync copies everything changed
 * since a point older than that death: the meta seq cannot tell, another instance moved it on.
 */
export class HealPoints {
  private points: { atMs: number; seq: number }[] = [];

  /** `keepMs`: how far back `seqAt` is asked; older points are dropped but the newest of them. */
  constructor(private readonly keepMs: number) {}

  record(atMs: number, seq: number): void {
    this.points.push({ atMs, seq });
    const horizon = atMs - this.keepMs;
    // The newest point at or before the horizon still answers for any cutoff after it.
    let firstKept = 0;
    while (firstKept + 1 < this.points.length && this.points[firstKept + 1].atMs <= horizon) {
      firstKept += 1;
    }
    if (firstKept > 0) this.points = this.points.slice(firstKept);
  }

  /** The seq PostgreSQL had reached at the newest point at or before `atMs`; null: none is that old. */
  seqAt(atMs: number): number | null {
    let found: number | null = null;
    for (const point of this.points) {
      if (point.atMs > atMs) break;
      found = point.seq;
    }
    return found;
  }
}
