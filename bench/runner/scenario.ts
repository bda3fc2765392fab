/**
 * The shape every benchmark scenario has, so the runner can repeat it, summarise it and
 * compare it with its baselines without knowing what it measures.
 *
 * A scenario module exports a factory returning a Scenario. `run` performs ONE run and returns
 * one number per figure name; the runner calls it `runs(quick)` times and reports, per figure,
 * the median, min and max, and per baseline the ratio figure / baseline computed run by run
 * (both measured in the same run, so a noisy machine slows both).
 */
export interface Scenario {
  /** short id: `--only` selects by it, and figure names are prefixed with it */
  name: string;
  title: string;
  /** one or two sentences printed under the table: what is measured and what to keep in mind */
  notes?: string;
  runs(quick: boolean): number;
  figures: FigureSpec[];
  /** once before the runs (preload data, start processes) */
  setup?(ctx: BenchContext): Promise<void>;
  run(ctx: BenchContext, index: number): Promise<Record<string, number>>;
  /** once after the runs, also after a failure: drop what setup made */
  teardown?(ctx: BenchContext): Promise<void>;
}

export interface FigureSpec {
  /** key in the record `run` returns */
  name: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  /** names of other figures of the same scenario this one is compared with */
  baselines?: string[];
  targets?: Target[];
}

/** A published target: on the figure's median, or on the median ratio to `baseline`. */
export interface Target {
  text: string;
  baseline?: string;
  min?: number;
  max?: number;
}

export interface BenchSettings {
  quick: boolean;
  /** unique per bench run: prefixes topics, groups and Redis keys */
  runId: string;
  brokers: string[];
  /** the bench's own database; recreated by scenarios, dropped at the end */
  databaseUrl: string;
  redisUrl: string;
  /** port for an API process a scenario starts */
  apiPort: number;
  /** health port of the first projector process; a second one gets the next port */
  projectorPort: number;
}

export interface BenchContext {
  settings: BenchSettings;
  log(msg: string, facts?: Record<string, unknown>): void;
}
