import { formatDollarsString, UsageRecord } from '@app/governance';
import { USAGE_RECORDED_V1 } from '../events/event-types';
import { UsageRecordedData } from '../events/usage-recorded.wire';
import { CloudEventEnvelope, cloudEventEnvelope, EnvelopeIdentity } from './cloud-event-envelope';

export type UsageRecordedEnvelope = CloudEventEnvelope<typeof USAGE_RECORDED_V1, UsageRecordedData>;

/** The event's `time` is the usage's time: it decides which window is charged. */
export function usageRecordedEnvelope(
  usage: UsageRecord,
  meta: EnvelopeIdentity,
): UsageRecordedEnvelope {
  return cloudEventEnvelope(
    USAGE_RECORDED_V1,
    { ...meta, time: usage.time },
    {
      request_id: usage.requestId,
      provider: usage.provider,
      model: usage.model,
      virtual_key_id: usage.virtualKeyId,
      user_id: usage.userId,
      success: usage.success,
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      total_tokens: usage.totalTokens,
      // A string, so the amount survives every JSON parser exactly.
      cost: formatDollarsString(usage.cost),
      streaming: usage.streaming,
      final_chunk: usage.finalChunk,
    },
  );
}
