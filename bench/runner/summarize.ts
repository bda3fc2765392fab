import { FigureSpec, Scenario } from './scenario';

export interface Spread {
  median: number;
  min: number;
  max: number;
  values: number[];
}

export interface FigureResult extends Spread {
  name: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  ratios: (Spread & { baseline: string })[];
  targets: { text: string; met: boolean; on: number }[];
}

export interface ScenarioResult {
  name: string;
  title: string;
  notes?: string;
  runs: number;
  seconds: number;
  figures: FigureResult[];
  error?: string;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], values: [...values] };
}

/** Per figure: the spread over runs, ratios to its baselines run by run, targets on medians. */
export function summarize(
  scenario: Pick<Scenario, 'figures'>,
  runs: readonly Record<string, number>[],
): FigureResult[] {
  return scenario.figures
    .filter((f) => runs.every((r) => Number.isFinite(r[f.name])))
    .map((f) => figureResult(f, runs));
}

function figureResult(f: FigureSpec, runs: readonly Record<string, number>[]): FigureResult {
  const own = spread(runs.map((r) => r[f.name]));
  const ratios = (f.baselines ?? [])
    .filter((b) => runs.every((r) => Number.isFinite(r[b]) && r[b] !== 0))
    .map((b) => ({ baseline: b, ...spread(runs.map((r) => r[f.name] / r[b])) }));
  const targets = (f.targets ?? []).map((t) => {
    const on = t.baseline ? ratios.find((r) => r.baseline === t.baseline)?.median : own.median;
    const met =
      on !== undefined &&
      (t.min === undefined || on >= t.min) &&
      (t.max === undefined || on <= t.max);
    return { text: t.text, met, on: on ?? NaN };
  });
  return { name: f.name, label: f.label, unit: f.unit, better: f.better, ...own, ratios, targets };
}
