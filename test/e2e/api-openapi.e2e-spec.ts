import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { randomUUID } from 'crypto';
import { Response } from 'supertest';
import { ApiStack, AUTH, openApiStack, RunningApi } from '../support/api-harness';

import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';

type Json = Record<string, unknown>;
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Json }> }>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
}

const LIST = '/api/governance/model-configs';
const ONE = '/api/governance/model-configs/{id}';
const USAGE = '/api/governance/model-configs/{id}/usage';
const ADMIT = '/api/governance/admissions';
const RELEASE = '/api/governance/admissions/{request_id}';

/**
 * OpenAPI 3.0 -> JSON Schema for ajv: `nullable` becomes an explicit null alternative, refs
 * point into the document, and objects admit no undeclared field (the document is exact).
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = `openapi.json${value}`;
    else if (key !== 'nullable' && key !== 'example') out[key] = toJsonSchema(value);
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return (node as Json).nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

describe('OpenAPI document and live responses', () => {
  const topics = suiteTopics('api-openapi');
  const kafka = new KafkaTestClient();
  let stack: ApiStack | undefined;
  let api: RunningApi;
  let doc: OpenApi;
  let ajv: Ajv;

  function validatorFor(path: string, method: string, status: number): ValidateFunction {
    const response = doc.paths[path]?.[method]?.responses[String(status)];
    if (!response) throw new Error(`${method.toUpperCase()} ${path} does not document ${status}`);
    const schema = (response.content?.['application/json'] as { schema?: Json } | undefined)
      ?.schema;
    if (!schema) throw new Error(`${method.toUpperCase()} ${path} ${status} has no JSON schema`);
    return ajv.compile(toJsonSchema(schema) as Json);
  }

  function expectConforms(res: Response, path: string, method: string): void {
    const validate = validatorFor(path, method, res.status);
    const ok = validate(res.body);
    expect({ status: res.status, errors: ok ? null : validate.errors }).toEqual({
      status: res.status,
      errors: null,
    });
  }

  beforeAll(async () => {
    stack = await openApiStack(topics, kafka);
    ({ api } = stack);
    doc = (await api.http().get('/openapi.json').expect(200)).body as OpenApi;
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(toJsonSchema({ components: doc.components }) as Json, 'openapi.json');
  });

  afterAll(() => stack?.close());

  it('describes every endpoint with bearer security and Bifrost errors', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = [
      [LIST, 'get'],
      [LIST, 'post'],
      [ONE, 'get'],
      [ONE, 'put'],
      [ONE, 'delete'],
      [USAGE, 'get'],
      [ADMIT, 'post'],
      [RELEASE, 'delete'],
    ] as const;
    for (const [path, method] of operations) {
      const op = doc.paths[path][method] as unknown as { security: unknown; responses: Json };
      expect(op.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401', '500']));
    }
    expect(Object.keys(doc.paths).sort()).toEqual([ADMIT, RELEASE, LIST, ONE, USAGE]);
  });

  it('matches live 200s of every endpoint on both read models', async () => {
    const body = {
      model_name: `openapi-${randomUUID()}`,
      scope: 'virtual_key',
      scope_id: 'vk-1',
      budgets: [{ max_limit: 12.5, reset_duration: '1d' }],
      rate_limit: { request_max_limit: 60, request_reset_duration: '1m' },
    };
    const created = await api.http().post(LIST).set(AUTH).send(body);
    expectConforms(created, LIST, 'post');
    const bare = await api
      .http()
      .post(LIST)
      .set(AUTH)
      .send({ model_name: `bare-${randomUUID()}` });
    expectConforms(bare, LIST, 'post');
    const id = created.body.model_config.id as string;
    for (const fromMemory of ['false', 'true']) {
      expectConforms(
        await api.http().get(LIST).query({ from_memory: fromMemory }).set(AUTH),
        LIST,
        'get',
      );
      expectConforms(
        await api.http().get(`${LIST}/${id}`).query({ from_memory: fromMemory }).set(AUTH),
        ONE,
        'get',
      );
    }
    expectConforms(await api.http().get(`${LIST}/${id}/usage`).set(AUTH), USAGE, 'get');
    const updated = await api
      .http()
      .put(`${LIST}/${id}`)
      .set(AUTH)
      .send({ rate_limit: null, budgets: [] });
    expectConforms(updated, ONE, 'put');
    expectConforms(await api.http().delete(`${LIST}/${id}`).set(AUTH), ONE, 'delete');
  });

  it('matches live admission answers: allowed, refused, repeated, released, errors', async () => {
    const model = `openapi-adm-${randomUUID()}`;
    const created = await api
      .http()
      .post(LIST)
      .set(AUTH)
      .send({
        model_name: model,
        budgets: [{ max_limit: 1, reset_duration: '1h' }],
        rate_limit: { token_max_limit: 100, token_reset_duration: '1m' },
      });
    expect(created.status).toBe(200);
    const admit = (body: Json) => api.http().post(ADMIT).set(AUTH).send(body);
    const body = { request_id: `r-${randomUUID()}`, provider: 'openai', model };
    const allowed = await admit({ ...body, estimated_cost: '0.6', estimated_tokens: 10 });
    expect(allowed.body).toMatchObject({ allowed: true });
    expectConforms(allowed, ADMIT, 'post');
    expectConforms(await admit({ ...body, estimated_cost: '0.6' }), ADMIT, 'post');
    const refused = await admit({ ...body, request_id: `r-${randomUUID()}`, estimated_cost: 0.6 });
    expect(refused.body).toMatchObject({ allowed: false });
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expectConforms(refused, ADMIT, 'post');
    expectConforms(await admit({ ...body, estimated_tokens: -1 }), ADMIT, 'post');
    expectConforms(await api.http().post(ADMIT).send(body), ADMIT, 'post');
    for (let i = 0; i < 2; i += 1) {
      const released = await api.http().delete(`${ADMIT}/${body.request_id}`).set(AUTH);
      expect(released.body.released).toBe(i === 0);
      expectConforms(released, RELEASE, 'delete');
    }
  });

  it('matches live 400, 401, 404 and 409 error bodies', async () => {
    expectConforms(await api.http().get(LIST).query({ limit: 'x' }).set(AUTH), LIST, 'get');
    expectConforms(await api.http().post(LIST).set(AUTH).send({}), LIST, 'post');
    expectConforms(await api.http().get(LIST), LIST, 'get');
    expectConforms(await api.http().get(`${LIST}/missing`).set(AUTH), ONE, 'get');
    expectConforms(await api.http().put(`${LIST}/missing`).set(AUTH).send({}), ONE, 'put');
    expectConforms(await api.http().delete(`${LIST}/missing`).set(AUTH), ONE, 'delete');
    expectConforms(await api.http().get(`${LIST}/missing/usage`).set(AUTH), USAGE, 'get');
    expectConforms(
      await api.http().get(`${LIST}/missing/usage`).query({ from: 'x' }).set(AUTH),
      USAGE,
      'get',
    );
    const body = { model_name: `dup-${randomUUID()}` };
    expect((await api.http().post(LIST).set(AUTH).send(body)).status).toBe(200);
    const clash = await api.http().post(LIST).set(AUTH).send(body);
    expect(clash.status).toBe(409);
    expectConforms(clash, LIST, 'post');
  });
});
