import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import {
  ApiStack,
  AUTH,
  bifrostError,
  openApiStack,
  resetReadModels,
  RunningApi,
  startApi,
} from '../support/api-harness';
import { openTestDatabase } from '../support/database-test-client';
import { KafkaTestClient, suiteTopics, topicEnv } from '../support/kafka-test-client';
import { startProjector } from '../support/projector-harness';

const LIST = '/api/governance/model-configs';
// Well under READ_YOUR_WRITES_TIMEOUT (10 s): a refusal is immediate, never a wait for a verdict.
const PROMPT_MS = 3_000;

const aCreateBody = (overrides: Record<string, unknown> = {}) => ({
  model_name: `model-${randomUUID().slice(0, 8)}`,
  provider: 'openai',
  budgets: [{ max_limit: 100, reset_duration: '1d' }],
  ...overrides,
});

const NUL_MESSAGE = (field: string) => `${field} must not contain NUL (U+0000) characters`;

// Bodies that passed the API's checks, were published, dead-lettered by the projector (or
// stopped it), and left the API waiting 10 s for a 503. The API now runs the projector's own
// rules on the event it would publish.
describe('management commands refuse what the projector would refuse', () => {
  const kafka = new KafkaTestClient();
  let stack: ApiStack | undefined;
  let api: RunningApi;
  let db: DataSource;

  beforeAll(async () => {
    stack = await openApiStack(suiteTopics('api-like-projector'), kafka);
    ({ api, db } = stack);
  });

  afterAll(() => stack?.close());

  const eventsStored = async (): Promise<number> => {
    const rows: { n: string }[] = await db.query('SELECT count(*) AS n FROM event_store');
    return Number(rows[0].n);
  };

  const manyBudgets = Array.from({ length: 3000 }, (_, i) => ({
    max_limit: 1,
    reset_duration: `${i + 1}m`,
  }));

  it.each([
    ['NUL in model_name', { model_name: 'gpt\u0000x' }, NUL_MESSAGE('model_name')],
    ['NUL in provider', { provider: 'open\u0000ai' }, NUL_MESSAGE('provider')],
    ['NUL in scope_id', { scope: 'virtual_key', scope_id: 'vk\u0000' }, NUL_MESSAGE('scope_id')],
    ['NUL in scope_name', { scope_name: 'team\u0000' }, NUL_MESSAGE('scope_name')],
    [
      'a 10 KB scope_name',
      { scope_name: 'x'.repeat(10_240) },
      'scope_name must be at most 255 characters',
    ],
    [
      'NUL in a budget id',
      { budgets: [{ id: 'b\u0000', max_limit: 1, reset_duration: '1d' }] },
      NUL_MESSAGE('budget id'),
    ],
    [
      'a 10 KB duration',
      { budgets: [{ max_limit: 1, reset_duration: `${'1'.repeat(10_240)}h` }] },
      'reset_duration must be at most 64 characters',
    ],
    [
      'a duration over ten years',
      { budgets: [{ max_limit: 1, reset_duration: '100000h' }] },
      'Invalid reset duration (must be at most 10Y): 100000h',
    ],
    [
      'a lone surrogate in model_name',
      { model_name: 'fz-\ud83d' },
      'model_name must be valid Unicode (it contains a lone surrogate)',
    ],
  ])('answers 400 at once for %s', async (_case, overrides, message) => {
    const before = await eventsStored();
    const started = Date.now();
    const res = await api.http().post(LIST).set(AUTH).send(aCreateBody(overrides));

    expect({ status: res.status, body: res.body as unknown }).toEqual({
      status: 400,
      body: bifrostError(400, message),
    });
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    expect(await eventsStored()).toBe(before);
  });

  it('answers 400 at once for 3,000 budgets, whose event would exceed MAX_EVENT_BYTES', async () => {
    const started = Date.now();
    const res = await api
      .http()
      .post(LIST)
      .set(AUTH)
      .send(aCreateBody({ budgets: manyBudgets }));

    expect(res.status).toBe(400);
    expect((res.body as { error: { message: string } }).error.message).toMatch(
      /^Model config too large: record value is \d+ bytes; the limit is 65536$/,
    );
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
  });

  it('refuses an update with NUL in its body, and the config stays as it was', async () => {
    const created = await api.http().post(LIST).set(AUTH).send(aCreateBody());
    expect(created.status).toBe(200);
    const id = (created.body as { model_config: { id: string; model_name: string } }).model_config
      .id;

    const res = await api
      .http()
      .put(`${LIST}/${id}`)
      .set(AUTH)
      .send({ model_name: 'x\u0000', scope_name: 'y' });

    expect({ status: res.status, body: res.body as unknown }).toEqual({
      status: 400,
      body: bifrostError(400, NUL_MESSAGE('model_name')),
    });
    const read = await api.http().get(`${LIST}/${id}`).set(AUTH);
    expect((read.body as { model_config: { model_name: string } }).model_config.model_name).toBe(
      (created.body as { model_config: { model_name: string } }).model_config.model_name,
    );
  });
});

// Should the projector still refuse an event (say it runs with a smaller MAX_EVENT_BYTES than
// the API), its dead letter names the event, and the API answers with that verdict at once.
describe('a verdict of the projector that the API did not foresee', () => {
  const kafka = new KafkaTestClient();
  const topics = suiteTopics('api-verdict');
  let api: RunningApi;
  let close: () => Promise<void> = () => Promise.resolve();

  beforeAll(async () => {
    const db = await openTestDatabase();
    await resetReadModels(db);
    await kafka.createTopics(topics);
    const [projector, started] = await Promise.all([
      startProjector({ ...topicEnv(topics), MAX_EVENT_BYTES: '3000' }),
      startApi(topicEnv(topics)),
    ]);
    api = started;
    close = async () => {
      await api.close();
      await projector.close();
      await kafka.close();
      await db.destroy();
    };
  });

  afterAll(() => close());

  it('answers 400 with the dead letter of an oversized event, not a 503 after the wait', async () => {
    const budgets = Array.from({ length: 40 }, (_, i) => ({
      max_limit: 1,
      reset_duration: `${i + 1}m`,
    }));
    const started = Date.now();
    const res = await api.http().post(LIST).set(AUTH).send(aCreateBody({ budgets }));

    expect(res.status).toBe(400);
    expect((res.body as { error: { message: string } }).error.message).toMatch(
      /^record value is \d+ bytes; the limit is 3000$/,
    );
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
  });
});
