import { EnvelopeMeta, EventType } from '../events/event-types';

/** A structured-mode CloudEvent as JSON-ready data. */
export interface CloudEventEnvelope<TType extends EventType = EventType, TData = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: TType;
  /** RFC 3339, UTC, millisecond precision */
  time: string;
  datacontenttype: 'application/json';
  data: TData;
  /** extension attribute of config upserts: apply only over this config version */
  expectedversion?: number;
}

/** The identity half of EnvelopeMeta: for usage, `time` comes from the record itself. */
export type EnvelopeIdentity = Pick<EnvelopeMeta, 'source' | 'id'>;

export function cloudEventEnvelope<TType extends EventType, TData>(
  type: TType,
  meta: EnvelopeMeta,
  data: TData,
): CloudEventEnvelope<TType, TData> {
  return {
    specversion: '1.0',
    id: meta.id,
    source: meta.source,
    type,
    time: meta.time.toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}
