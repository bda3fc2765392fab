import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { DEAD_LETTER_CODES, DeadLetterCode } from '../dead-letter/dead-letter-reason';
import { EVENT_TYPES } from '../events/event-types';
import { aStructuredRecord, DECODE_OPTIONS } from '../testing/raw-record.builder';
import { rejectionOf } from '../testing/rejection-of';
import { decodeRecord } from './decode-record';

// The producer docs are part of the contract: every example must do what its name says, against
// both the published schema and the real decoder.
const DOCS = join(__dirname, '../../../../docs/events');
const SCHEMA_FILES: Record<string, string> = {
  'governance.usage.recorded.v1': 'usage-recorded.v1.schema.json',
  'governance.model_config.upserted.v1': 'model-config-upserted.v1.schema.json',
  'governance.model_config.deleted.v1': 'model-config-deleted.v1.schema.json',
};
// Rules JSON Schema cannot express: the consumer's clock, and governance's duration grammar.
const BEYOND_SCHEMA = new Set([
  'usage-recorded.future-time.invalid.future_time.json',
  'model-config-upserted.bad-duration.invalid.invalid_config.json',
  'model-config-upserted.duration-over-ten-years.invalid.invalid_config.json',
]);

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>(
  Object.entries(SCHEMA_FILES).map(([type, file]) => [
    type,
    ajv.compile(JSON.parse(readFileSync(join(DOCS, 'schemas', file), 'utf8')) as object),
  ]),
);

const exampleFiles = readdirSync(join(DOCS, 'examples')).filter((name) => name.endsWith('.json'));
const valid = exampleFiles.filter((name) => name.endsWith('.valid.json'));
const invalid = exampleFiles
  .map((name) => [name, /\.invalid\.([a-z_]+)\.json$/.exec(name)?.[1]] as const)
  .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);

function readExample(name: string): { bytes: Buffer; json: unknown } {
  const bytes = readFileSync(join(DOCS, 'examples', name));
  return { bytes, json: JSON.parse(bytes.toString('utf8')) };
}

function typeOf(json: unknown): string | undefined {
  const type = (json as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

describe('documented event schemas and examples', () => {
  it('has a schema for every event type', () => {
    expect(Object.keys(SCHEMA_FILES).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('names every example either *.valid.json or *.invalid.<dead-letter code>.json', () => {
    expect(valid.length + invalid.length).toBe(exampleFiles.length);
    for (const [, code] of invalid) expect(DEAD_LETTER_CODES).toContain(code);
  });

  it('has a valid example of every event type', () => {
    const types = new Set(valid.map((name) => typeOf(readExample(name).json)));

    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(valid)('%s passes its schema', (name) => {
    const { json } = readExample(name);
    const validate = validators.get(typeOf(json) ?? '');

    expect(validate).toBeDefined();
    validate?.(json);
    expect(validate?.errors ?? []).toEqual([]);
  });

  it.each(valid)('%s decodes without error', (name) => {
    const { bytes, json } = readExample(name);
    const record = { ...aStructuredRecord(json), value: bytes };

    expect(decodeRecord(record, DECODE_OPTIONS).type).toBe(typeOf(json));
  });

  it.each(invalid)('%s is dead-lettered with code %s', (name, code) => {
    const { bytes, json } = readExample(name);
    const record = { ...aStructuredRecord(json), value: bytes };

    expect(rejectionOf(record).code).toBe(code as DeadLetterCode);
  });

  it.each(invalid.filter(([name]) => !BEYOND_SCHEMA.has(name)))(
    '%s is also refused by its schema, where one exists',
    (name) => {
      const { json } = readExample(name);
      const validate = validators.get(typeOf(json) ?? '');

      expect(validate === undefined || !validate(json)).toBe(true);
    },
  );
});
