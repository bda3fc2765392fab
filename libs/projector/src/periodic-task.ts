/**
 * Runs `task` every `everyMs` until stopped, never two runs at once (a slow broker must not
 * pile runs up). `stop()` waits for the run in flight, so no broker call outlives the
 * application.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly everyMs: number,
    private readonly task: () => Promise<void>,
  ) {}

  /** false once stopping: a long run checks it to give up early */
  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.inFlight) return;
      this.inFlight = this.task().finally(() => (this.inFlight = null));
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }
}
