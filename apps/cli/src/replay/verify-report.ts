import { VerifyReport } from '@app/ledger';

/** The readable diff report of `replay verify` (and of `replay build --dry-run`). */
export function formatVerifyReport(r: VerifyReport): string {
  const lines: string[] = [];
  const a = `active version ${r.active.id} (seq ${r.active.lastSeq})`;
  const b = `version ${r.candidate.id} (${r.candidate.status}, seq ${r.candidate.lastSeq}${r.candidate.scope ? `, scope ${r.candidate.scope.join(',')}` : ''})`;
  lines.push(`replay verify: ${b} against ${a}`);
  lines.push(...tablesSection(r.tables, `v${r.active.id}`, `v${r.candidate.id}`));
  lines.push(
    `  redis:    ${r.redis.compared} entries compared (configs, listing rows, current windows), ${r.redis.different} different`,
  );
  for (const d of r.redis.listed) {
    const where = d.field === undefined ? d.key : `${d.key} [${d.field}]`;
    lines.push(
      `    ${where}: v${r.active.id} ${show(d.active)}  v${r.candidate.id} ${show(d.candidate)}`,
    );
  }
  lines.push(
    r.differences === 0 ? 'result: no differences' : `result: ${r.differences} difference(s)`,
  );
  return `${lines.join('\n')}\n`;
}

export function tablesSection(
  t: VerifyReport['tables'],
  activeLabel: string,
  candidateLabel: string,
): string[] {
  const lines: string[] = [];
  lines.push(`  configs:  ${t.configs.compared} compared, ${t.configs.different} different`);
  for (const c of t.configs.listed) {
    for (const [field, [va, vb]] of Object.entries(c.fields)) {
      lines.push(
        `    config ${c.id} ${field}: ${activeLabel} ${show(va)}  ${candidateLabel} ${show(vb)}`,
      );
    }
  }
  lines.push(
    `  counters: ${t.counters.compared} windows compared, ${t.counters.different} different`,
  );
  for (const c of t.counters.listed) {
    lines.push(
      `    counter ${c.counterKey} window ${c.windowStart}: ${activeLabel} ${show(c.active)}  ${candidateLabel} ${show(c.candidate)}`,
    );
  }
  if (t.counts.different > 0) {
    lines.push(`  live counts: ${t.counts.different} different`);
    for (const c of t.counts.listed) {
      lines.push(
        `    ${c.dimension}=${c.value}: ${activeLabel} ${show(c.active)}  ${candidateLabel} ${show(c.candidate)}`,
      );
    }
  }
  return lines;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
