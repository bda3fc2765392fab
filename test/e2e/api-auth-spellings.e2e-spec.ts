import { ApiStack, API_KEY, openApiStack } from '../support/api-harness';
import { aConfig, configUpserted } from '../support/event-builders';
import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';
import { pathSpellings } from '../support/path-spellings';
import { RawHttpClient, RawResponse } from '../support/raw-http';
import { concretePath, DiscoveredRoute, discoverRoutes } from '../support/routes';
import { waitFor } from '../support/wait-for';

// The routes anyone may call; every other route the app serves must demand a key.
const OPEN = [/^\/health(\/ready)?$/, /^\/metrics$/, /^\/openapi\.json$/, /^\/docs([/-]|$)/];

const CREATE_BODY = JSON.stringify({
  model_name: 'bypass-attempt',
  provider: 'openai',
  budgets: [{ max_limit: 1, reset_duration: '1d' }],
});

const CREDENTIALS: [string, Record<string, string>][] = [
  ['no credentials', {}],
  ['a wrong key', { authorization: 'Bearer not-the-key' }],
  ['the key as x-api-key', { 'x-api-key': API_KEY }],
];

/**
 * Authentication holds for every spelling of every protected route: no spelling reaches a
 * handler without a key. A refusal is a 401, or a 404 from the router (the spelling is no
 * route at all); a 404 from a handler ("Model config not found") or any other answer means the
 * handler ran.
 */
describe('authentication across path spellings', () => {
  const topics = suiteTopics('api-auth');
  const kafka = new KafkaTestClient();
  const target = aConfig({ id: 'mc-auth-target' });
  let stack: ApiStack | undefined;
  let http: RawHttpClient;
  let protectedRoutes: DiscoveredRoute[];

  const storedConfigs = (): Promise<unknown[]> =>
    stack!.db.query('SELECT id, version, deleted_at FROM model_configs ORDER BY id');

  beforeAll(async () => {
    stack = await openApiStack(topics, kafka);
    http = await RawHttpClient.for(stack.api.app);
    await kafka.sendEvents(topics.config, [configUpserted(target)]);
    await waitFor('the target config in both read models', async () => {
      const [pg, redis] = await Promise.all(
        ['false', 'true'].map((fromMemory) =>
          http.send({
            method: 'GET',
            path: `/api/governance/model-configs/${target.id}?from_memory=${fromMemory}`,
            headers: { authorization: `Bearer ${API_KEY}` },
          }),
        ),
      );
      return pg.status === 200 && redis.status === 200;
    });
    protectedRoutes = discoverRoutes(stack.api.app).filter(
      (route) => !OPEN.some((open) => open.test(route.path)),
    );
  });

  afterAll(async () => {
    http?.close();
    await stack?.close();
  });

  it('finds the governance routes among the protected ones', () => {
    expect(protectedRoutes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/api/governance/model-configs' },
        { method: 'GET', path: '/api/governance/model-configs/:id' },
        { method: 'POST', path: '/api/governance/model-configs' },
        { method: 'PUT', path: '/api/governance/model-configs/:id' },
        { method: 'DELETE', path: '/api/governance/model-configs/:id' },
      ]),
    );
  });

  it.each(CREDENTIALS)('refuses %s on every spelling of every protected route', async (_, auth) => {
    const before = await storedConfigs();
    const handlerRan: string[] = [];
    for (const route of protectedRoutes) {
      const methods = route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];
      for (const method of methods) {
        for (const spelling of pathSpellings(concretePath(route.path, target.id))) {
          const res = await http.send({
            method,
            path: spelling.path,
            headers: { ...auth, 'content-type': 'application/json' },
            body: method === 'POST' || method === 'PUT' ? CREATE_BODY : undefined,
          });
          if (!refusedBeforeAnyHandler(method, res)) {
            handlerRan.push(
              `${method} ${spelling.path} (${spelling.name}) -> ${res.status} ${res.text.slice(0, 100)}`,
            );
          }
        }
      }
    }
    expect(handlerRan).toEqual([]);
    expect(await storedConfigs()).toEqual(before);
  });

  it('routes only the exact spelling, even with the key', async () => {
    const withKey = { authorization: `Bearer ${API_KEY}` };
    const list = '/api/governance/model-configs';
    for (const path of [
      '/API/governance/model-configs',
      `${list}/`,
      `/${list}`,
      `/api/./governance/model-configs`,
    ]) {
      const res = await http.send({ method: 'GET', path, headers: withKey });
      expect([path, res.status, (res.json as { error?: unknown }).error]).toEqual([
        path,
        404,
        { message: `Cannot GET ${path}` },
      ]);
    }
  });

  it('serves the routes as spelled with the key (the spellings above name real targets)', async () => {
    const withKey = { authorization: `Bearer ${API_KEY}` };
    for (const path of [
      '/api/governance/model-configs',
      `/api/governance/model-configs/${target.id}`,
    ]) {
      const res = await http.send({ method: 'GET', path, headers: withKey });
      expect(res.status).toBe(200);
    }
  });
});

function refusedBeforeAnyHandler(method: string, res: RawResponse): boolean {
  if (method === 'HEAD') return res.status === 401 || res.status === 404;
  const body = res.json as { status_code?: number; error?: { message?: string } } | undefined;
  if (body?.status_code !== res.status) return false;
  if (res.status === 401) return /^Unauthorized/.test(body.error?.message ?? '');
  // Nest's router answers an unknown path with "Cannot <METHOD> <path>".
  return res.status === 404 && /^Cannot [A-Z]+ /.test(body.error?.message ?? '');
}
