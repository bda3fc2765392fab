import { DataSource } from 'typeorm';
import { resetReadModels } from '../support/api-harness';
import { ApiProcess } from '../support/api-process';
import { openTestDatabase } from '../support/database-test-client';
import { KafkaTestClient, suiteTopics, topicEnv } from '../support/kafka-test-client';
import { RawHttpClient, RawResponse } from '../support/raw-http';
import { waitFor } from '../support/wait-for';

const LIST = '/api/governance/model-configs';
// Distinctive keys, so a match in the log can only be a leak.
const OLD_KEY = 'ul-key-old-5f2c9a71e3';
const LIVE_KEY = 'ul-key-live-8d41e7b02c';
const WRONG_KEY = 'ul-key-typo-8d41e7b02d';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
const SECRETS = [OLD_KEY, LIVE_KEY, WRONG_KEY, Buffer.from(`admin:${LIVE_KEY}`).toString('base64')];

/**
 * The compiled API at log level trace, its whole log captured: a key, however a client sends
 * it (and whatever happens to the request: refused, served, failed with a 500), never reaches
 * a log line or a response.
 */
describe('API keys in logs and answers', () => {
  const topics = suiteTopics('api-keys');
  const kafka = new KafkaTestClient();
  let db: DataSource;
  let api: ApiProcess;
  let http: RawHttpClient;
  const responses: RawResponse[] = [];

  const send = async (
    headers: Record<string, string>,
    path = LIST,
    method = 'GET',
    body?: string,
  ) => {
    const res = await http.send({ method, path, headers, body });
    responses.push(res);
    return res;
  };

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetReadModels(db);
    await kafka.createTopics(topics);
    api = new ApiProcess({
      ...topicEnv(topics),
      GOVERNANCE_API_KEYS: `${OLD_KEY},${LIVE_KEY}`,
      LOG_LEVEL: 'trace',
      LOG_FORMAT: 'json',
      RUN_PROJECTOR: '1',
    });
    await api.start();
    http = new RawHttpClient(api.port, 15_000);
  });

  afterAll(async () => {
    http?.close();
    await api?.stop();
    await kafka.close();
    await db?.destroy();
  });

  it('serves, refuses and fails requests carrying keys in every place a client puts them', async () => {
    const placements: [Record<string, string>, number][] = [
      [{ authorization: `Bearer ${LIVE_KEY}` }, 200],
      [{ authorization: `Bearer ${OLD_KEY}` }, 200],
      [{ authorization: `Bearer ${WRONG_KEY}` }, 401],
      [{ authorization: LIVE_KEY }, 401],
      [{ 'x-api-key': LIVE_KEY }, 401],
      [{ authorization: basic(`admin:${LIVE_KEY}`) }, 401],
      [{ authorization: `Bearer ${LIVE_KEY}`, 'x-api-key': LIVE_KEY }, 200],
      [{ authorization: `Bearer ${LIVE_KEY}`, 'proxy-authorization': `Bearer ${LIVE_KEY}` }, 200],
      [{ authorization: `Bearer ${LIVE_KEY}`, cookie: `key=${LIVE_KEY}` }, 200],
    ];
    for (const [headers, status] of placements) {
      expect((await send(headers)).status).toBe(status);
    }
    const created = await send(
      { authorization: `Bearer ${LIVE_KEY}`, 'content-type': 'application/json' },
      LIST,
      'POST',
      JSON.stringify({ model_name: 'logged', provider: 'openai' }),
    );
    expect(created.status).toBe(200);
  });

  it('answers a bug with a 500 that names only its request id, and logs the cause under it', async () => {
    // A read-model row no code path writes: presenting it is a bug, not an outage.
    await db.query(`UPDATE model_configs SET definition = '{"id": 42}'::jsonb`);
    const everyPlacement = {
      authorization: `Bearer ${LIVE_KEY}`,
      'x-api-key': OLD_KEY,
      'proxy-authorization': `Bearer ${LIVE_KEY}`,
      cookie: `key=${LIVE_KEY}`,
    };
    const failed = await send(everyPlacement);
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual({
      is_bifrost_error: false,
      status_code: 500,
      error: { message: 'Internal server error' },
      extra_fields: {},
    });
    const requestId = failed.headers['x-request-id'];
    expect(typeof requestId).toBe('string');
    // The log is written asynchronously: wait for the line rather than read it at once.
    const line = await waitFor('the failure logged under its request id', async () =>
      api.log
        .split('\n')
        .filter((l) => l.includes(String(requestId)))
        .map((l) => JSON.parse(l) as { msg?: string; err?: { message?: string } })
        .find((entry) => entry.msg === 'request failed'),
    );
    expect(line.err?.message).toEqual(expect.any(String));
  });

  it('never writes a key to the log or into an answer', () => {
    expect(api.log.length).toBeGreaterThan(0);
    for (const secret of SECRETS) {
      expect([secret, api.log.includes(secret)]).toEqual([secret, false]);
      for (const res of responses) {
        expect([
          secret,
          res.text.includes(secret) || JSON.stringify(res.headers).includes(secret),
        ]).toEqual([secret, false]);
      }
    }
  });
});
