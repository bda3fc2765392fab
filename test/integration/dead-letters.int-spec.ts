import {
  DLQ_HEADERS,
  encodeBinary,
  encodeStructured,
  EncodedRecord,
  modelConfigUpsertedEnvelope,
} from '@app/contracts';
import { randomUUID } from 'crypto';
import { KafkaMessage } from 'kafkajs';
import {
  aConfig,
  aUsage,
  configDeleted,
  configUpserted,
  usageRecorded,
  usd,
} from '../support/event-builders';
import { waitFor } from '../support/wait-for';
import { WriteSideSuite } from '../support/write-side-suite';

const structured = (value: unknown): EncodedRecord => ({
  key: Buffer.from('bad-key'),
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers: { 'content-type': 'application/cloudevents+json', 'x-trace': 'keep-me' },
});

function usageEnvelope(data: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  const good = usageRecorded(aUsage({ model: 'dlq-model' }));
  return { ...good, data: { ...good.data, ...data }, ...overrides };
}

// how many bad records the first test sends: the second reads the dead letters after them
const BAD_USAGE_RECORDS = 11;

describe('dead letters', () => {
  const suite = new WriteSideSuite('dead-letters', 1);
  beforeAll(() => suite.setUp());
  afterAll(() => suite.tearDown());

  it('sends each kind of bad record to the DLQ with its code and applies the good ones around it', async () => {
    const config = aConfig({ modelName: 'dlq-model' });
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
    await suite.eventsApplied(1);

    const good = () =>
      encodeStructured(usageRecorded(aUsage({ model: 'dlq-model', cost: usd('1') })), null);
    const inFuture = new Date(Date.now() + 3_600_000).toISOString();
    const bad: [string, EncodedRecord][] = [
      ['invalid_json', structured('{"specversion": "1.0",')],
      ['not_cloudevent', { key: null, value: Buffer.from('{"hello":"world"}'), headers: {} }],
      ['unknown_type', structured(usageEnvelope({}, { type: 'governance.usage.exploded.v9' }))],
      ['missing_field', structured(usageEnvelope({ model: undefined }))],
      ['invalid_field', structured(usageEnvelope({ success: 'yes' }))],
      ['negative_tokens', structured(usageEnvelope({ input_tokens: -5 }))],
      ['invalid_cost', structured(usageEnvelope({ cost: 'ten dollars' }))],
      ['invalid_cost', structured(usageEnvelope({ cost: -1 }))],
      ['oversized', structured(usageEnvelope({ model: 'x'.repeat(70_000) }))],
      ['future_time', structured(usageEnvelope({}, { time: inFuture }))],
      [
        'unsupported_content_type',
        {
          ...structured([usageEnvelope({})]),
          headers: { 'content-type': 'application/cloudevents-batch+json' },
        },
      ],
    ];
    expect(bad).toHaveLength(BAD_USAGE_RECORDS);
    const records = bad.flatMap(([, record]) => [record, good()]);
    await suite.kafka.send(suite.topics.usage, [good(), ...records]);

    const letters = await suite.deadLettersLogged(bad.length);
    expect(letters.map((l) => l.code)).toEqual(bad.map(([code]) => code));
    expect(await suite.usageInPostgres(config.id, 'b-day', 'cost')).toBe(
      usd(String(bad.length + 1)),
    );

    const dlq = await suite.kafka.readAll(suite.topics.dlq, bad.length);
    const header = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();
    expect(dlq.map((m) => header(m, DLQ_HEADERS.code))).toEqual(bad.map(([code]) => code));
    const first = dlq[0];
    expect(first.value?.toString()).toBe('{"specversion": "1.0",');
    expect(first.key?.toString()).toBe(`${suite.topics.usage}/0/1`);
    expect(header(first, DLQ_HEADERS.id)).toBe(`${suite.topics.usage}/0/1`);
    expect(header(first, DLQ_HEADERS.originalKey)).toBe('bad-key');
    expect(header(first, 'x-trace')).toBe('keep-me');
    expect(header(first, DLQ_HEADERS.sourceTopic)).toBe(suite.topics.usage);
    expect(header(first, DLQ_HEADERS.sourcePartition)).toBe('0');
    expect(header(first, DLQ_HEADERS.sourceOffset)).toBe('1');
    expect(header(first, DLQ_HEADERS.reason)).toBeTruthy();
  });

  it('dead-letters invalid config definitions and an identity clash, keeping the first config', async () => {
    const first = aConfig({ modelName: 'clash', provider: 'openai' });
    const clash = aConfig({ modelName: 'clash', provider: 'openai' });
    const badDuration = configUpserted(aConfig({ modelName: 'dur' }));
    (badDuration.data.budgets![0] as { reset_duration: string }).reset_duration = '5x';
    const noScopeId = configUpserted(
      aConfig({ modelName: 'vk', scope: 'virtual_key', scopeId: null }),
    );
    await suite.kafka.send(suite.topics.config, [
      encodeStructured(configUpserted(first), first.id),
      encodeBinary(configUpserted(clash), clash.id),
      encodeStructured(badDuration, null),
      encodeStructured(noScopeId, null),
    ]);
    const letters = (await suite.deadLettersLogged(BAD_USAGE_RECORDS + 3)).slice(-3);
    expect(letters.map((l) => l.code)).toEqual([
      'identity_conflict',
      'invalid_config',
      'invalid_config',
    ]);
    expect(letters[0].message).toBe(
      "Model config for model 'clash' with provider 'openai' (global) already exists",
    );
    expect(letters[1].message).toBe('Invalid reset duration (must be a positive duration): 5x');
    expect(letters[2].message).toBe('scope_id is required when scope is not global');
    expect(await suite.limitsOf(first.id)).not.toEqual([]);
    expect(await suite.limitsOf(clash.id)).toEqual([]);
    const stored: unknown[] = await suite.db.query(
      `SELECT 1 FROM event_store WHERE envelope::jsonb -> 'data' ->> 'id' = $1`,
      [clash.id],
    );
    expect(stored).toHaveLength(0); // a rejected event is not part of the log replay reads
  });

  it('dead-letters an update of a version that is no longer live, and never revives a deleted config', async () => {
    const config = aConfig({ modelName: 'versioned' });
    const before = (await suite.deadLettersLogged(0)).length;
    await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
    await waitFor('config applied', async () => (await suite.limitsOf(config.id)).length > 0);
    const [{ version }]: { version: string }[] = await suite.db.query(
      'SELECT version FROM model_configs WHERE id = $1',
      [config.id],
    );
    const update = (expected: number) =>
      modelConfigUpsertedEnvelope(
        { ...config, updatedAt: new Date() },
        { source: 'tests/admin', id: randomUUID(), time: new Date() },
        expected,
      );
    await suite.kafka.sendEvents(suite.topics.config, [
      update(Number(version)),
      update(Number(version)), // the second one was built on the same, now replaced, version
      configDeleted(config.id),
      update(Number(version) + 1),
    ]);
    const letters = (await suite.deadLettersLogged(before + 2)).slice(before);
    expect(letters.map((l) => l.code)).toEqual(['version_conflict', 'config_not_found']);
    expect(await suite.limitsOf(config.id)).toEqual([]);
  });
});
