/**
 * `npm run bench [-- --quick] [--only a,b] [--runs n]`: every scenario on the real stack,
 * repeated, summarised as median / min / max with ratios to baselines of the same run, written
 * to bench/results/<timestamp>.json and .md.
 */
import { Command, InvalidArgumentError } from 'commander';
import { randomUUID } from 'crypto';
import { join } from 'path';
import { dropDatabase } from './support/bench-database';
import { machine, versions } from './runner/machine';
import { writeReport, markdown } from './runner/report';
import { BenchContext, BenchSettings, Scenario } from './runner/scenario';
import { ScenarioResult, summarize } from './runner/summarize';
import { SCENARIOS } from './scenarios';

interface Flags {
  quick: boolean;
  only?: string;
  runs?: number;
}

function settingsFrom(flags: Flags): BenchSettings {
  return {
    quick: flags.quick,
    runId: randomUUID().slice(0, 8),
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
    databaseUrl:
      process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/usage_ledger_bench',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    apiPort: Number(process.env.BENCH_API_PORT ?? 18_780),
    projectorPort: Number(process.env.BENCH_PROJECTOR_PORT ?? 18_781),
  };
}

function log(msg: string, facts: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), msg, ...facts })}\n`);
}

async function runScenario(
  ctx: BenchContext,
  scenario: Scenario,
  runs: number,
): Promise<ScenarioResult> {
  const started = performance.now();
  const results: Record<string, number>[] = [];
  let error: string | undefined;
  try {
    log('scenario setup', { scenario: scenario.name });
    await scenario.setup?.(ctx);
    for (let i = 0; i < runs; i += 1) {
      const figures = await scenario.run(ctx, i);
      log('scenario run', { scenario: scenario.name, run: i + 1, of: runs, ...figures });
      results.push(figures);
    }
  } catch (e) {
    error = (e as Error).message;
    log('scenario failed', { scenario: scenario.name, error });
  } finally {
    await scenario
      .teardown?.(ctx)
      .catch((e: Error) => log('teardown failed', { error: e.message }));
  }
  return {
    name: scenario.name,
    title: scenario.title,
    notes: scenario.notes,
    runs: results.length,
    seconds: (performance.now() - started) / 1000,
    figures: results.length > 0 ? summarize(scenario, results) : [],
    error,
  };
}

async function main(flags: Flags): Promise<void> {
  const settings = settingsFrom(flags);
  const ctx: BenchContext = { settings, log };
  log('bench starting', { run_id: settings.runId, quick: settings.quick });
  const started = performance.now();
  const at = new Date().toISOString();
  const box = machine();
  const found = await versions(settings);
  const only = flags.only?.split(',').map((s) => s.trim());
  const scenarios = SCENARIOS.map((make) => make()).filter((s) => !only || only.includes(s.name));
  if (only && scenarios.length !== only.length)
    throw new Error(`unknown scenario in --only ${flags.only}`);
  const results: ScenarioResult[] = [];
  try {
    for (const s of scenarios)
      results.push(await runScenario(ctx, s, flags.runs ?? s.runs(settings.quick)));
  } finally {
    await dropDatabase(settings.databaseUrl);
  }
  const report = {
    at,
    quick: settings.quick,
    seconds: (performance.now() - started) / 1000,
    machine: box,
    versions: found,
    scenarios: results,
  };
  const files = writeReport(report, join(__dirname, 'results'));
  process.stdout.write(`${markdown(report)}\nresults: ${files.json}\n`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}

const program = new Command('bench')
  .option('--quick', 'small sizes and one run each: a smoke check, not figures', false)
  .option('--only <names>', 'comma-separated scenario names')
  .option('--runs <n>', 'runs per scenario (default: 3, quick: 1)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
    return n;
  });
program.parse(process.argv);
main(program.opts<Flags>()).catch((error: Error) => {
  process.stderr.write(`${error.stack ?? String(error)}\n`);
  process.exit(1);
});
