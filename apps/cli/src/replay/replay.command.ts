import { AppConfig } from '@app/config';
import {
  BuildRefusedError,
  buildVersion,
  CannotCompareError,
  DEFAULT_CHUNK_SIZE,
  verifyVersions,
} from '@app/ledger';
import { parseRfc3339 } from '@app/contracts';
import { Command, InvalidArgumentError, Option } from 'commander';
import { buildProgressReporter } from './build-progress';
import { kafkaBuildSource, KafkaSourceReport } from './kafka-build-source';
import { addLifecycleVerbs } from './lifecycle.commands';
import { withReplayConnections } from './replay-connections';
import { formatVerifyReport, tablesSection } from './verify-report';

interface BuildFlags {
  from: 'store' | 'kafka';
  since?: string;
  scope?: string[];
  dryRun?: boolean;
  chunkSize: number;
}

interface VerifyFlags {
  json?: boolean;
  version?: number;
}

/** verify's exit codes (issue 9): no differences, differences found, could not compare. */
export const VERIFY_EQUAL = 0;
export const VERIFY_DIFFERENT = 1;
export const VERIFY_CANNOT_COMPARE = 2;

function versionId(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a version id (1, 2, ...)');
  return n;
}

function chunkSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
    throw new InvalidArgumentError('must be a whole number from 1 to 1000000');
  }
  return n;
}

function configIds(value: string): string[] {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (ids.length === 0) throw new InvalidArgumentError('must list config ids, comma-separated');
  return ids;
}

/** `usage-ledger replay <verb>`: rebuild the read models from the event log beside the live ones. */
export function replayCommand(config: AppConfig): Command {
  const replay = new Command('replay').description(
    'rebuild the read models from the event log into a new version, verify, switch',
  );
  replay
    .command('build')
    .description(
      'build read-model version n + 1 from the event store (or Kafka), then follow the log',
    )
    .addOption(
      new Option('--from <source>', 'where the events come from')
        .choices(['store', 'kafka'])
        .default('store'),
    )
    .option(
      '--since <time>',
      'with --from kafka: from the first record at or after this RFC 3339 time (default: the earliest retained)',
    )
    .option('--scope <ids>', 'only these config ids (comma-separated)', configIds)
    .option('--dry-run', 'build a throw-away version, print the diff with the active one, drop it')
    .option('--chunk-size <n>', 'events per transaction', chunkSize, DEFAULT_CHUNK_SIZE)
    .action((o: BuildFlags) => buildCommand(config, o));
  replay
    .command('verify')
    .description(
      'compare a version with the active one (exit 0 equal, 1 different, 2 cannot compare)',
    )
    .option('--json', 'the report as JSON')
    .option(
      '--version <n>',
      'the version to compare (default: the newest that is not active)',
      versionId,
    )
    // A mistyped option must not read as "differences found" (1) in an operator's script.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : VERIFY_CANNOT_COMPARE))
    .action((o: VerifyFlags) => verifyCommand(config, o));
  addLifecycleVerbs(replay, config);
  return replay;
}

/** Why the flags cannot run together (exit 2), or null. */
function buildFlagsProblem(o: BuildFlags): string | null {
  if (o.since !== undefined && o.from !== 'kafka') return '--since needs --from kafka';
  if (o.since !== undefined && parseRfc3339(o.since) === null) {
    return `invalid --since ${JSON.stringify(o.since)}: must be an RFC 3339 time (2026-01-01T00:00:00Z)`;
  }
  if (o.dryRun && o.from === 'kafka') {
    return '--dry-run replays the event store only: --from kafka appends the missing events to it';
  }
  return null;
}

async function buildCommand(config: AppConfig, o: BuildFlags): Promise<void> {
  const problem = buildFlagsProblem(o);
  if (problem !== null) {
    process.stderr.write(`usage-ledger: replay build: ${problem}\n`);
    process.exitCode = 2;
    return;
  }
  let kafka: KafkaSourceReport | undefined;
  const progress = buildProgressReporter();
  const started = Date.now();
  try {
    const result = await withReplayConnections(config, (c) =>
      buildVersion(c.ds, c.redis, c.registry, {
        scope: o.scope,
        dryRun: o.dryRun,
        chunkSize: o.chunkSize,
        onProgress: (p) => progress.update(p),
        source:
          o.from === 'kafka'
            ? kafkaBuildSource(config, c.ds, o.since ? parseRfc3339(o.since)! : undefined, (r) => {
                kafka = r;
              })
            : undefined,
      }),
    );
    progress.finish();
    const seconds = (Date.now() - started) / 1000;
    const summary = {
      version: result.version,
      resumed: result.resumed,
      events: result.events,
      rejected: result.rejected,
      last_seq: result.lastSeq,
      seconds: Number(seconds.toFixed(2)),
      events_per_second: Math.round(result.events / Math.max(seconds, 0.001)),
      // the rest of `seconds` is connecting and closing
      phase_seconds: result.phaseSeconds,
      source: o.from,
      ...(kafka ? { kafka } : {}),
    };
    if (result.dryRunDiff) {
      const t = result.dryRunDiff;
      const differences = t.configs.different + t.counters.different + t.counts.different;
      process.stdout.write(
        [
          `replay build --dry-run: version ${result.version} (dropped) against the active version at seq ${result.lastSeq}`,
          ...tablesSection(t, 'active', `v${result.version}`),
          differences === 0 ? 'result: no differences' : `result: ${differences} difference(s)`,
          '',
        ].join('\n'),
      );
      process.exitCode = differences === 0 ? 0 : 1;
      return;
    }
    process.stdout.write(`${JSON.stringify({ built: summary })}\n`);
  } catch (error) {
    progress.finish();
    if (error instanceof BuildRefusedError) {
      process.stderr.write(`usage-ledger: replay build refused: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

async function verifyCommand(config: AppConfig, o: VerifyFlags): Promise<void> {
  try {
    const report = await withReplayConnections(config, (c) =>
      verifyVersions(c.ds, c.redis, c.registry, { version: o.version }),
    );
    process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : formatVerifyReport(report));
    process.exitCode = report.differences === 0 ? VERIFY_EQUAL : VERIFY_DIFFERENT;
  } catch (error) {
    // Anything that stops the comparison (a store unreachable included) is "could not compare".
    const message = error instanceof CannotCompareError ? error.message : String(error);
    if (o.json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
    process.stderr.write(`usage-ledger: replay verify could not compare: ${message}\n`);
    process.exitCode = VERIFY_CANNOT_COMPARE;
  }
}
