import { formatDollarsString, ModelConfigDefinition } from '@app/governance';
import {
  EnvelopeMeta,
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
} from '../events/event-types';
import { ModelConfigDeletedData } from '../events/model-config-deleted.wire';
import { ModelConfigUpsertedData } from '../events/model-config-upserted.wire';
import { CloudEventEnvelope, cloudEventEnvelope } from './cloud-event-envelope';

export type ModelConfigUpsertedEnvelope = CloudEventEnvelope<
  typeof MODEL_CONFIG_UPSERTED_V1,
  ModelConfigUpsertedData
>;
export type ModelConfigDeletedEnvelope = CloudEventEnvelope<
  typeof MODEL_CONFIG_DELETED_V1,
  ModelConfigDeletedData
>;

/** `expectedVersion`: an update of that version only (optimistic concurrency); null = any. */
export function modelConfigUpsertedEnvelope(
  def: ModelConfigDefinition,
  meta: EnvelopeMeta,
  expectedVersion: number | null = null,
): ModelConfigUpsertedEnvelope {
  const envelope = upsertedEnvelope(def, meta);
  return expectedVersion === null ? envelope : { ...envelope, expectedversion: expectedVersion };
}

function upsertedEnvelope(
  def: ModelConfigDefinition,
  meta: EnvelopeMeta,
): ModelConfigUpsertedEnvelope {
  return cloudEventEnvelope(MODEL_CONFIG_UPSERTED_V1, meta, {
    id: def.id,
    model_name: def.modelName,
    provider: def.provider,
    scope: def.scope,
    scope_id: def.scopeId,
    scope_name: def.scopeName,
    calendar_aligned: def.calendarAligned,
    budgets: def.budgets.map((budget) => ({
      id: budget.id,
      max_limit: formatDollarsString(budget.maxLimit),
      reset_duration: budget.resetDuration,
    })),
    rate_limit:
      def.rateLimit === null
        ? null
        : {
            id: def.rateLimit.id,
            token_max_limit: def.rateLimit.tokenMaxLimit,
            token_reset_duration: def.rateLimit.tokenResetDuration,
            request_max_limit: def.rateLimit.requestMaxLimit,
            request_reset_duration: def.rateLimit.requestResetDuration,
          },
    created_at: def.createdAt.toISOString(),
    updated_at: def.updatedAt.toISOString(),
  });
}

export function modelConfigDeletedEnvelope(
  id: string,
  meta: EnvelopeMeta,
): ModelConfigDeletedEnvelope {
  return cloudEventEnvelope(MODEL_CONFIG_DELETED_V1, meta, { id });
}
