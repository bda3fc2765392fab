import {
  LedgerEvent,
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  USAGE_RECORDED_V1,
} from '../events/event-types';
import { CloudEventEnvelope } from './cloud-event-envelope';
import { modelConfigDeletedEnvelope, modelConfigUpsertedEnvelope } from './model-config.envelope';
import { usageRecordedEnvelope } from './usage-recorded.envelope';

/** The inverse of decodeRecord's result: any ledger event back to its wire envelope. */
export function ledgerEventEnvelope(event: LedgerEvent): CloudEventEnvelope {
  switch (event.type) {
    case USAGE_RECORDED_V1:
      return usageRecordedEnvelope(event.usage, event);
    case MODEL_CONFIG_UPSERTED_V1:
      return modelConfigUpsertedEnvelope(event.config, event, event.expectedVersion);
    case MODEL_CONFIG_DELETED_V1:
      return modelConfigDeletedEnvelope(event.configId, event);
  }
}
