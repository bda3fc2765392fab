import { SingleBar } from 'cli-progress';
import { TrafficStats } from './gateway-traffic';

export interface ProgressReporter {
  sent(stats: TrafficStats): void;
  finish(stats: TrafficStats): void;
}

/**
 * A live bar on a terminal; one JSON line per second otherwise (CI logs, `| jq`), so a long
 * run is readable both ways.
 */
export function progressReporter(
  total: number,
  out: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  const started = Date.now();
  const facts = (s: TrafficStats) => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    return {
      records: s.records,
      rate: Math.round(s.records / seconds),
      duplicates: s.duplicates,
      late: s.late,
      stream_chunks: s.chunks,
      seconds: Number(seconds.toFixed(1)),
    };
  };
  if (out.isTTY) {
    const bar = new SingleBar({
      stream: out,
      format:
        total > 0
          ? 'simulate [{bar}] {value}/{total} records | {rate}/s | dup {duplicates} late {late}'
          : 'simulate {value} records | {rate}/s | dup {duplicates} late {late}',
      hideCursor: true,
    });
    bar.start(
      total > 0 ? total : Infinity,
      0,
      facts({
        records: 0,
        events: 0,
        duplicates: 0,
        late: 0,
        chunks: 0,
        requests: 0,
        costNanos: 0n,
      }),
    );
    return {
      sent: (s) => bar.update(s.records, facts(s)),
      finish: (s) => {
        bar.update(s.records, facts(s));
        bar.stop();
      },
    };
  }
  let lastLine = 0;
  const line = (s: TrafficStats, done: boolean) =>
    out.write(
      `${JSON.stringify({ msg: done ? 'simulation finished' : 'simulating', ...facts(s) })}\n`,
    );
  return {
    sent: (s) => {
      if (Date.now() - lastLine < 1000) return;
      lastLine = Date.now();
      line(s, false);
    },
    finish: (s) => line(s, true),
  };
}
