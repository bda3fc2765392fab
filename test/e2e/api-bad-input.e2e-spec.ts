import { ApiStack, API_KEY, openApiStack } from '../support/api-harness';
import { aConfig, configUpserted } from '../support/event-builders';
import {
  BadRequestCase,
  badRequestCorpus,
  LIST,
  sharedRuleCases,
} from '../support/http-bad-requests';
import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';
import { RawHttpClient, RawResponse } from '../support/raw-http';
import { countBy, writeFigures } from '../support/reliability-figures';
import { waitFor } from '../support/wait-for';

interface Outcome {
  kind: string;
  status: string;
}

// Far above any answer the API should need, far below a hung request.
const ANSWER_WITHIN_MS = 15_000;

/**
 * A few hundred requests a careless or hostile client sends, over every parameter, header and
 * body field: each gets a 4xx with Bifrost's error body (or a 200 where it is valid after all),
 * never a 5xx, never a hang; afterwards the read models hold exactly what the valid ones asked
 * for. Figures: test/results/http-bad-input.json.
 */
describe('the HTTP API under bad input', () => {
  const topics = suiteTopics('api-bad-input');
  const kafka = new KafkaTestClient();
  const seeds = [
    aConfig({ id: 'mc-corpus-seed', modelName: 'gpt-4o' }),
    aConfig({ id: 'mc-corpus-like', modelName: 'gpt_4%o', provider: 'azure' }),
  ];
  const outcomes: Outcome[] = [];
  const created = new Map<string, string>();
  let stack: ApiStack | undefined;
  let http: RawHttpClient;
  let seedVersions: unknown[];

  const corpus = badRequestCorpus(seeds[0].id);
  const kinds = [...new Set(corpus.map((c) => c.kind))];
  const started = Date.now();

  const versions = (): Promise<unknown[]> =>
    stack!.db.query('SELECT id, version FROM model_configs WHERE id = ANY($1) ORDER BY id', [
      seeds.map((s) => s.id),
    ]);

  beforeAll(async () => {
    stack = await openApiStack(topics, kafka);
    http = await RawHttpClient.for(stack.api.app, ANSWER_WITHIN_MS);
    await kafka.sendEvents(
      topics.config,
      seeds.map((s) => configUpserted(s)),
    );
    await waitFor('the seed configs in both read models', async () => {
      const counts = await Promise.all(
        ['false', 'true'].map(async (fromMemory) => {
          const res = await http.send({
            method: 'GET',
            path: `${LIST}?from_memory=${fromMemory}`,
            headers: { authorization: `Bearer ${API_KEY}` },
          });
          return (res.json as { total_count?: number } | undefined)?.total_count;
        }),
      );
      return counts.every((n) => n === seeds.length);
    });
    seedVersions = await versions();
  });

  afterAll(async () => {
    if (outcomes.length > 0) {
      writeFigures('http-bad-input', {
        requests: outcomes.length,
        seconds: Math.round((Date.now() - started) / 1000),
        by_status: countBy(outcomes, (o) => o.status),
        by_kind: countBy(outcomes, (o) => o.kind),
      });
    }
    http?.close();
    await stack?.close();
  });

  async function tryAll(cases: BadRequestCase[]): Promise<string[]> {
    const wrong: string[] = [];
    for (const c of cases) {
      const res = await http.send(c).catch((error: Error) => error);
      const status = res instanceof Error ? 'no answer' : String(res.status);
      outcomes.push({ kind: c.kind, status });
      const problem = res instanceof Error ? res.message : problemWith(c, res);
      if (problem)
        wrong.push(`${c.kind} / ${c.name}: ${c.method} ${c.path.slice(0, 60)} -> ${problem}`);
      else if (c.creates !== undefined && !(res instanceof Error) && res.status === 200) {
        created.set((res.json as { model_config: { id: string } }).model_config.id, c.creates);
      }
    }
    return wrong;
  }

  it.each(kinds)('answers every "%s" request with a 4xx error body or a 200', async (kind) => {
    expect(await tryAll(corpus.filter((c) => c.kind === kind))).toEqual([]);
  });

  async function expectStoredExactlyWhatWasAskedFor(): Promise<void> {
    const rows: { id: string; model_name: string }[] = await stack!.db.query(
      'SELECT id, model_name FROM model_configs WHERE deleted_at IS NULL ORDER BY id',
    );
    const expected = [
      ...seeds.map((s) => ({ id: s.id, model_name: s.modelName })),
      ...[...created].map(([id, modelName]) => ({ id, model_name: modelName })),
    ].sort((a, b) => a.id.localeCompare(b.id));
    expect(rows).toEqual(expected);
    expect(await versions()).toEqual(seedVersions);
    // The API never handed the projector something it had to reject.
    expect(await stack!.db.query('SELECT code, message FROM dead_letters')).toEqual([]);
  }

  it('stores exactly what the valid requests asked for, and nothing else', async () => {
    await expectStoredExactlyWhatWasAskedFor();
  });

  it('takes LIKE metacharacters in search literally on both read paths', async () => {
    for (const fromMemory of ['false', 'true']) {
      const res = await http.send({
        method: 'GET',
        path: `${LIST}?search=4%25o&from_memory=${fromMemory}`,
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      const ids = (res.json as { model_configs: { id: string }[] }).model_configs.map((c) => c.id);
      expect(ids).toEqual(['mc-corpus-like']);
    }
  });

  it('still serves a valid command afterwards', async () => {
    const res = await http.send({
      method: 'POST',
      path: LIST,
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model_name: 'after-the-corpus', provider: 'corpus' }),
    });
    expect(res.status).toBe(200);
    created.set((res.json as { model_config: { id: string } }).model_config.id, 'after-the-corpus');
  });

  // Last: without the shared rule, some of these stall the config projector for good.
  it('refuses what the projector would reject with a 400, and stores none of it', async () => {
    expect(await tryAll(sharedRuleCases(seeds[0].id))).toEqual([]);
    await expectStoredExactlyWhatWasAskedFor();
  });
});

/** Why an answer is wrong for its case, or null when it is right. */
function problemWith(c: BadRequestCase, res: RawResponse): string | null {
  const got = `${res.status} ${res.text.slice(0, 120)}`;
  if (!c.expect.includes(res.status)) return `${got} (expected ${c.expect.join(' or ')})`;
  if (res.status < 400) return res.json === undefined ? `${got} (not JSON)` : null;
  const body = res.json as Record<string, unknown> | undefined;
  const message = (body?.error as { message?: unknown } | undefined)?.message;
  const isErrorBody =
    body?.is_bifrost_error === false &&
    body.status_code === res.status &&
    typeof message === 'string' &&
    message.length > 0 &&
    JSON.stringify(body.extra_fields) === '{}';
  return isErrorBody ? null : `${got} (not the error body)`;
}
