import { ReplayStatus } from '@app/ledger';

/** `replay status` for a terminal: one line per version, the active one marked. */
export function renderStatus(s: ReplayStatus): string {
  const lines = [`head of the log: seq ${s.head}; active version: ${s.active}`];
  const rows = s.versions.map((v) => [
    `${v.status === 'active' ? '*' : ' '} v${v.id}`,
    v.status,
    v.lastSeq === null ? '-' : String(v.lastSeq),
    v.lag === null ? '-' : String(v.lag),
    v.status === 'retired' ? '-' : v.redisReadyAt ? 'ready' : 'not ready',
    progressOf(v, s.head),
  ]);
  const header = ['  version', 'status', 'last_seq', 'lag', 'redis', 'since'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) {
    lines.push(
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
  }
  const b = s.build;
  lines.push(
    b
      ? `running build: version ${b.version}${b.dryRun ? ' (dry run)' : ''}, pid ${b.pid} on ${b.host}, started ${b.startedAt.toISOString()}`
      : 'running build: none',
  );
  return `${lines.join('\n')}\n`;
}

function progressOf(v: ReplayStatus['versions'][number], head: number): string {
  switch (v.status) {
    case 'building': {
      const done = v.lastSeq ?? 0;
      const pct = head === 0 ? 100 : Math.floor((done / head) * 1000) / 10;
      return `building since ${v.createdAt.toISOString()}: ${done}/${head} (${pct}%)`;
    }
    case 'active':
      return `active since ${v.activatedAt?.toISOString() ?? '?'}`;
    case 'following':
      return v.deactivatedAt
        ? `following; was active until ${v.deactivatedAt.toISOString()}`
        : `following since ${v.createdAt.toISOString()} (never active)`;
    case 'retired':
      return `retired ${v.retiredAt?.toISOString() ?? ''}`;
  }
}
