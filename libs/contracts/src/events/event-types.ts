import { ModelConfigDefinition, UsageRecord } from '@app/governance';

/** Stable, versioned wire names. Never derived from class names. */
export const USAGE_RECORDED_V1 = 'governance.usage.recorded.v1';
export const MODEL_CONFIG_UPSERTED_V1 = 'governance.model_config.upserted.v1';
export const MODEL_CONFIG_DELETED_V1 = 'governance.model_config.deleted.v1';
export type EventType =
  typeof USAGE_RECORDED_V1 | typeof MODEL_CONFIG_UPSERTED_V1 | typeof MODEL_CONFIG_DELETED_V1;

/** The CloudEvents attributes we keep from every event. (source, id) is the identity. */
export interface EnvelopeMeta {
  source: string;
  id: string;
  time: Date;
}

export type LedgerEvent =
  | (EnvelopeMeta & { type: typeof USAGE_RECORDED_V1; usage: UsageRecord })
  | (EnvelopeMeta & {
      type: typeof MODEL_CONFIG_UPSERTED_V1;
      config: ModelConfigDefinition;
      /** optimistic concurrency: apply only if the live config has this version */
      expectedVersion: number | null;
    })
  | (EnvelopeMeta & { type: typeof MODEL_CONFIG_DELETED_V1; configId: string });

/** Every type the ledger understands, in one list so decoders and schemas cannot drift. */
export const EVENT_TYPES: readonly EventType[] = [
  USAGE_RECORDED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  MODEL_CONFIG_DELETED_V1,
];

export function isEventType(value: string): value is EventType {
  return (
    value === USAGE_RECORDED_V1 ||
    value === MODEL_CONFIG_UPSERTED_V1 ||
    value === MODEL_CONFIG_DELETED_V1
  );
}
