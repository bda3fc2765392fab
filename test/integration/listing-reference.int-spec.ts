import { identityKey, ModelConfigDefinition, SCOPES } from '@app/governance';
import { ConfigListingRow, ConfigListQuery, selectPage } from '@app/ledger';
import fc from 'fast-check';
import { deleted, LedgerMedium, upserted } from '../support/ledger-medium';

// Few distinct letters, so that searches hit; case pairs, final and medial sigma, dotted I,
// sharp s, a fullwidth letter and an astral one (UTF-16 and code-point order disagree on them),
// and LIKE's own metacharacters.
const LETTERS = [
  'a',
  'A',
  'b',
  'é',
  'É',
  'Σ',
  'σ',
  'ς',
  'İ',
  'i',
  'ß',
  'Ａ',
  '😀',
  '%',
  '_',
  '\\',
  '-',
];
const text = (max: number) =>
  fc.array(fc.constantFrom(...LETTERS), { minLength: 1, maxLength: max }).map((c) => c.join(''));
// Short ids over few letters: equal-created_at ties, and ids that UTF-16 order sorts otherwise.
const ID_LETTERS = ['a', 'A', '_', 'é', 'Ａ', '😀'];
const anId = fc
  .array(fc.constantFrom(...ID_LETTERS), { minLength: 1, maxLength: 3 })
  .map((c) => c.join(''));
const SCOPE_IDS = ['vk-1', 'VK-1', 'ü'];
const PROVIDERS = ['openai', 'OpenAI', 'a%b'];
const BASE_MS = Date.parse('2026-01-01T00:00:00Z');

const definition = fc
  .record({
    id: anId,
    modelName: text(6),
    scope: fc.constantFrom(...SCOPES),
    scopeId: fc.constantFrom(...SCOPE_IDS),
    provider: fc.option(fc.constantFrom(...PROVIDERS)),
    // three instants only: equal created_at is the common case, the id breaks the tie
    createdAt: fc.constantFrom(0, 1, 2).map((n) => new Date(BASE_MS + n * 1000)),
  })
  .map(({ scope, scopeId, ...rest }): ModelConfigDefinition => ({
    ...rest,
    scope,
    scopeId: scope === 'global' ? null : scopeId,
    scopeName: null,
    calendarAligned: false,
    budgets: [],
    rateLimit: null,
    updatedAt: rest.createdAt,
  }));

type Op = { upsert: ModelConfigDefinition } | { delete: string };

/** Upserts (some of them moving a config to another scope, provider or name) and deletes. */
const history = fc
  .array(definition, { minLength: 3, maxLength: 30 })
  .chain((defs) =>
    fc.tuple(
      fc.constant(defs),
      fc.array(fc.tuple(fc.nat(), definition), { maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 4 }),
    ),
  )
  .map(([defs, moves, deletes]): Op[] => {
    const ops: Op[] = defs.map((d) => ({ upsert: d }));
    if (defs.length === 0) return ops;
    for (const [i, d] of moves) ops.push({ upsert: { ...d, id: defs[i % defs.length].id } });
    for (const i of deletes) ops.push({ delete: defs[i % defs.length].id });
    return ops;
  });

const query: fc.Arbitrary<ConfigListQuery> = fc.record({
  search: fc.option(text(3)),
  scope: fc.option(fc.constantFrom(...SCOPES)),
  scopeId: fc.option(fc.constantFrom(...SCOPE_IDS)),
  provider: fc.option(fc.constantFrom(...PROVIDERS)),
  limit: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 30 })),
  // mostly inside the matches (a page with rows to compare), sometimes past the end
  offset: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 40 })),
});

/** What the projector's rules leave live: a second holder of an identity is refused. */
function liveAfter(ops: readonly Op[]): ConfigListingRow[] {
  const live = new Map<string, ModelConfigDefinition>();
  for (const op of ops) {
    if ('delete' in op) {
      live.delete(op.delete);
      continue;
    }
    const d = op.upsert;
    const key = identityKey(d.scope, d.scopeId, d.modelName, d.provider);
    const holder = [...live.values()].find(
      (c) => identityKey(c.scope, c.scopeId, c.modelName, c.provider) === key,
    );
    if (holder && holder.id !== d.id) continue;
    live.set(d.id, d);
  }
  return [...live.values()].map((d) => ({
    id: d.id,
    createdAtMs: d.createdAt.getTime(),
    scope: d.scope,
    scopeId: d.scopeId,
    provider: d.provider,
    modelName: d.modelName,
  }));
}

/**
 * Both read models page inside their store; the pure selectPage is the reference. Random
 * histories written by the real batch applier and Redis writer, random queries, and both
 * adapters must return exactly the reference's ids, in its order, with its total.
 */
describe('listing: PostgreSQL and Redis return exactly what the reference returns', () => {
  const ledger = new LedgerMedium();
  beforeAll(() => ledger.open());
  afterAll(() => ledger.close());

  it('agrees on 250 random histories x 4 random queries (1,000 cases)', async () => {
    const now = new Date();
    await fc.assert(
      fc.asyncProperty(
        history,
        fc.array(query, { minLength: 4, maxLength: 4 }),
        async (ops, qs) => {
          await ledger.clear();
          await ledger.apply(
            ops.map((op) => ('delete' in op ? deleted(op.delete) : upserted(op.upsert))),
          );
          const rows = liveAfter(ops);
          for (const q of qs) {
            const expected = selectPage(rows, q, q.limit, q.offset);
            for (const readModel of [ledger.postgres, ledger.redisReadModel]) {
              const page = await readModel.page(q, now);
              expect({
                ids: page.snapshots.map((s) => s.definition.id),
                total: page.total,
              }).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 250 },
    );
  }, 300_000);
});
