import { aUsageRecord } from '../testing/usage-event.builder';
import { encodeBinary, encodeStructured, STRUCTURED_CONTENT_TYPE } from './encode-record';
import { usageRecordedEnvelope } from './usage-recorded.envelope';

const envelope = usageRecordedEnvelope(aUsageRecord(), { source: 'gw', id: 'evt-1' });

describe('encodeStructured', () => {
  it('puts the whole envelope in the value and marks it with the CloudEvents content-type', () => {
    const record = encodeStructured(envelope, 'vk-1');

    expect(record.key?.toString()).toBe('vk-1');
    expect(record.headers).toEqual({ 'content-type': STRUCTURED_CONTENT_TYPE });
    expect(JSON.parse(record.value.toString())).toEqual(envelope);
  });

  it('keeps a null key null', () => {
    expect(encodeStructured(envelope, null).key).toBeNull();
  });
});

describe('encodeBinary', () => {
  it('puts attributes in ce_* headers and only data in the value', () => {
    const record = encodeBinary(envelope, Buffer.from('k'));

    expect(record.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: 'evt-1',
      ce_source: 'gw',
      ce_type: 'governance.usage.recorded.v1',
      ce_time: envelope.time,
      'content-type': 'application/json',
    });
    expect(JSON.parse(record.value.toString())).toEqual(envelope.data);
  });
});
