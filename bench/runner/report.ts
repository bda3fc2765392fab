import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Machine } from './machine';
import { ScenarioResult } from './summarize';

export interface BenchReport {
  at: string;
  quick: boolean;
  seconds: number;
  machine: Machine;
  versions: Record<string, string>;
  scenarios: ScenarioResult[];
}

/** `bench/results/<timestamp>.json` and `.md` (quick runs get a `-quick` suffix, ignored by git). */
export function writeReport(report: BenchReport, dir: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = report.at.replace(/[:.]/g, '-');
  const base = join(dir, `${stamp}${report.quick ? '-quick' : ''}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown(report));
  return { json: `${base}.json`, md: `${base}.md` };
}

export function markdown(r: BenchReport): string {
  const m = r.machine;
  const lines = [
    `### Benchmark ${r.at}${r.quick ? ' (quick smoke run: sizes too small to compare)' : ''}`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB, ${m.os}; load average ${m.load_average_1m} at the start.`,
    `Versions: ${Object.entries(r.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}. Took ${Math.round(r.seconds)} s.`,
    '',
    '| scenario | figure | median | min – max | ratio to baseline: median (min – max) | target | met |',
    '| --- | --- | ---: | ---: | --- | --- | --- |',
  ];
  for (const s of r.scenarios) {
    if (s.error)
      lines.push(`| ${s.title} | **failed**: ${s.error.replace(/\|/g, '/')} | | | | | |`);
    for (const f of s.figures) {
      const ratios = f.ratios
        .map(
          (x) =>
            `${ratio(x.median)} (${ratio(x.min)} – ${ratio(x.max)}) vs ${label(s, x.baseline)}`,
        )
        .join('<br>');
      const targets = f.targets.map((t) => t.text).join('<br>');
      const met = f.targets.map((t) => (t.met ? 'yes' : '**no**')).join('<br>');
      lines.push(
        `| ${s.title} | ${f.label} | ${value(f.median, f.unit)} | ${value(f.min, f.unit)} – ${value(f.max, f.unit)} | ${ratios} | ${targets} | ${met} |`,
      );
    }
  }
  lines.push('', `Runs per scenario: ${r.scenarios.map((s) => `${s.name} ${s.runs}`).join(', ')}.`);
  for (const s of r.scenarios) if (s.notes) lines.push('', `- **${s.title}**: ${s.notes}`);
  return `${lines.join('\n')}\n`;
}

function label(s: ScenarioResult, figure: string): string {
  return s.figures.find((f) => f.name === figure)?.label ?? figure;
}

function value(n: number, unit: string): string {
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return `${n.toLocaleString('en-US', { maximumFractionDigits: digits })} ${unit}`;
}

function ratio(n: number): string {
  return `${n.toLocaleString('en-US', { maximumSignificantDigits: n >= 100 ? 4 : 3 })}x`;
}
