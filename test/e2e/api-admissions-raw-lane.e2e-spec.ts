import { randomUUID } from 'crypto';
import { ApiStack, API_KEY, openApiStack } from '../support/api-harness';
import { ADMISSIONS } from '../support/admission-client';
import { aConfig, configUpserted, usd } from '../support/event-builders';
import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';
import { RawHttpClient, RawResponse } from '../support/raw-http';
import { waitFor } from '../support/wait-for';

const HEADERS = {
  authorization: `Bearer ${API_KEY}`,
  'content-type': 'application/json',
  'x-request-id': 'gw-lane-check',
};
// Express serves the route for any request the raw lane leaves, e.g. one with a query string.
const THROUGH_EXPRESS = `${ADMISSIONS}?lane=express`;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The admission route answered before Express (serveRawRoutes) gives what Express gives for the
 * same request: status, body, headers, for answers of every kind.
 */
describe('admission before Express', () => {
  const topics = suiteTopics('api-adm-raw');
  const kafka = new KafkaTestClient();
  const model = `lane-${randomUUID().slice(0, 8)}`;
  let stack: ApiStack | undefined;
  let http: RawHttpClient;

  const body = (fields: Record<string, unknown>) =>
    JSON.stringify({ request_id: `lane-${randomUUID()}`, provider: 'openai', ...fields });
  const post = (path: string, payload: string | Buffer) =>
    http.send({ method: 'POST', path, headers: HEADERS, body: payload });

  beforeAll(async () => {
    stack = await openApiStack(topics, kafka);
    http = await RawHttpClient.for(stack.api.app);
    const open = { budgets: [{ id: 'b', maxLimit: usd('1000'), resetDuration: '1d' }] };
    const full = { budgets: [{ id: 'b0', maxLimit: 1n, resetDuration: '1d' }] };
    await kafka.sendEvents(topics.config, [
      configUpserted(aConfig({ modelName: `${model}-open`, rateLimit: null, ...open })),
      configUpserted(aConfig({ modelName: `${model}-full`, rateLimit: null, ...full })),
    ]);
    await waitFor('the configs in Redis', async () => {
      const res = await post(ADMISSIONS, body({ model: `${model}-full`, estimated_cost: 1 }));
      return (res.json as { allowed?: boolean }).allowed === false;
    });
  });

  afterAll(async () => {
    http?.close();
    await stack?.close();
  });

  it.each<[string, () => string | Buffer]>([
    ['allowed', () => body({ model: `${model}-open`, estimated_cost: 0 })],
    ['refused, with Retry-After', () => body({ model: `${model}-full`, estimated_cost: 1 })],
    ['matching no limit', () => body({ model: `${model}-none` })],
    ['an invalid field', () => body({ model: `${model}-open`, estimated_tokens: -1 })],
    ['not an object', () => '[]'],
    ['an empty body', () => ''],
    ['unparsable', () => '{"request_id":'],
    ['invalid UTF-8', () => Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
    ['after a byte-order mark', () => Buffer.concat([BOM, Buffer.from(body({ model }))])],
  ])('answers %s as Express does', async (_, payload) => {
    const [raw, express] = [
      await post(ADMISSIONS, payload()),
      await post(THROUGH_EXPRESS, payload()),
    ];
    expect(comparable(raw)).toEqual(comparable(express));
  });

  it('answers a repeat through either lane with the first answer, byte for byte', async () => {
    const payload = body({ model: `${model}-open`, estimated_cost: '0.25' });
    const first = await post(ADMISSIONS, payload);
    const repeats = [await post(THROUGH_EXPRESS, payload), await post(ADMISSIONS, payload)];
    expect(first.status).toBe(200);
    for (const repeat of repeats) {
      expect(repeat.text).toBe(first.text);
      expect(repeat.headers.etag).toBe(first.headers.etag);
    }
  });
});

/** An answer without what differs between two requests: ids, times, the date and ETag. */
function comparable(res: RawResponse) {
  const { etag, ...headers } = res.headers;
  delete headers.date;
  const json = JSON.stringify(res.json ?? null)
    .replace(/"lane-[0-9a-f-]{36}"/g, '"<request id>"')
    .replace(/"expires_at":"[^"]+"/g, '"expires_at":"<time>"');
  return { status: res.status, headers, weakEtag: /^W\/"/.test(String(etag)), json };
}
