/** Where each CloudEvents attribute was read from, so messages name what the producer wrote. */
export interface AttributeLabels {
  specversion: string;
  id: string;
  source: string;
  type: string;
  time: string;
  data: string;
  expectedversion: string;
}

/** The raw, unvalidated attributes and data of a record, whichever binding mode carried them. */
export interface CloudEventParts {
  specversion: unknown;
  id: unknown;
  source: unknown;
  type: unknown;
  time: unknown;
  data: unknown;
  /** extension attribute: the config version an upsert expects to replace (optional) */
  expectedversion: unknown;
  labels: AttributeLabels;
}

export const STRUCTURED_LABELS: AttributeLabels = {
  specversion: 'specversion',
  id: 'id',
  source: 'source',
  type: 'type',
  time: 'time',
  data: 'data',
  expectedversion: 'expectedversion',
};

export const BINARY_LABELS: AttributeLabels = {
  specversion: 'header ce_specversion',
  id: 'header ce_id',
  source: 'header ce_source',
  type: 'header ce_type',
  time: 'header ce_time',
  data: 'value (event data)',
  expectedversion: 'header ce_expectedversion',
};
