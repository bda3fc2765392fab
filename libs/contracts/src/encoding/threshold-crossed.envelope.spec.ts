import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'fs';
import { join } from 'path';
import { TrackedLimit } from '@app/governance';
import { alertIdOf, thresholdCrossedEnvelope } from './threshold-crossed.envelope';

const DOCS = join(__dirname, '../../../../docs/events');
const schema = JSON.parse(
  readFileSync(join(DOCS, 'schemas', 'limit-threshold-crossed.v1.schema.json'), 'utf8'),
) as object;
const example = JSON.parse(
  readFileSync(join(DOCS, 'published', 'limit-threshold-crossed.example.json'), 'utf8'),
) as unknown;
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

const limit: TrackedLimit = {
  configId: 'mc-1',
  kind: 'budget',
  limitId: 'b-1',
  dimension: 'cost',
  maxLimit: 50_000_000_000n,
  resetDuration: '1d',
  calendarAligned: true,
  anchor: new Date('2026-01-01T00:00:00Z'),
  counterKey: 'mc-1:b-1:7',
};
const crossing = {
  limit,
  windowStart: new Date('2026-03-14T00:00:00Z'),
  windowEnd: new Date('2026-03-15T00:00:00Z'),
  thresholdPercent: 80,
  usage: 40_125_000_000n,
  time: new Date('2026-03-14T09:26:53.120Z'),
};

describe('governance.limit.threshold_crossed.v1', () => {
  it('builds envelopes its published schema accepts, like the documented example', () => {
    for (const event of [thresholdCrossedEnvelope(crossing), example]) {
      validate(event);
      expect(validate.errors ?? []).toEqual([]);
    }
    expect(thresholdCrossedEnvelope(crossing).data).toMatchObject({ usage: 40.125, max_limit: 50 });
  });

  it('derives the same id from the same config, limit, series, window and threshold only', () => {
    const id = alertIdOf(crossing);
    expect(alertIdOf({ ...crossing, usage: 1n, time: new Date() })).toBe(id);
    expect(alertIdOf({ ...crossing, thresholdPercent: 100 })).not.toBe(id);
    expect(alertIdOf({ ...crossing, windowStart: new Date('2026-03-15T00:00:00Z') })).not.toBe(id);
    expect(alertIdOf({ ...crossing, limit: { ...limit, counterKey: 'mc-1:b-1:9' } })).not.toBe(id);
    expect(id).toMatch(/^alert-[0-9a-f]{32}$/);
  });
});
