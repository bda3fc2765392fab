import { BuildProgress } from '@app/ledger';
import { SingleBar } from 'cli-progress';

export interface BuildProgressReporter {
  update(progress: BuildProgress): void;
  finish(): void;
}

// Without a terminal: one JSON line at most this often (CI logs, `| jq`).
const LINE_INTERVAL_MS = 2000;

/**
 * `replay build`'s progress on stderr: a bar on a terminal (events done, events/s, ETA), one
 * JSON line every few seconds otherwise. events/s counts this run's events only, so a resumed
 * build reports its own speed.
 */
export function buildProgressReporter(
  out: NodeJS.WriteStream = process.stderr,
  clock: () => number = Date.now,
): BuildProgressReporter {
  const started = clock();
  const facts = (p: BuildProgress) => {
    const seconds = Math.max((clock() - started) / 1000, 0.001);
    const rate = p.events / seconds;
    const left = Math.max(p.untilSeq - p.lastSeq, 0);
    return {
      phase: p.phase,
      version: p.version,
      events: p.events,
      last_seq: p.lastSeq,
      head_seq: p.untilSeq,
      events_per_second: Math.round(rate),
      eta_seconds: rate > 0 ? Math.round(left / rate) : null,
      seconds: Number(seconds.toFixed(1)),
    };
  };
  if (out.isTTY) {
    let bar: SingleBar | null = null;
    return {
      update: (p) => {
        const f = facts(p);
        const payload = { ...f, eta: f.eta_seconds === null ? '?' : `${f.eta_seconds}s` };
        if (!bar) {
          bar = new SingleBar({
            stream: out,
            format:
              'replay build v{version} {phase} [{bar}] seq {value}/{total} | {events} events | {events_per_second} ev/s | ETA {eta}',
            hideCursor: true,
          });
          bar.start(p.untilSeq, p.lastSeq, payload);
        }
        bar.setTotal(p.untilSeq);
        bar.update(p.lastSeq, payload);
      },
      finish: () => bar?.stop(),
    };
  }
  let lastLine = 0;
  let pending: BuildProgress | null = null;
  const write = (p: BuildProgress) => out.write(`${JSON.stringify({ progress: facts(p) })}\n`);
  return {
    update: (p) => {
      pending = p;
      const now = clock();
      if (now - lastLine < LINE_INTERVAL_MS && p.phase === 'catch-up') return;
      lastLine = now;
      pending = null;
      write(p);
    },
    finish: () => {
      if (pending) write(pending);
    },
  };
}
