import { EnvelopeMeta } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { FoundModelConfig } from '../read-model/model-config.reader';

/** What a management command answers: the config as the PostgreSQL read model shows it. */
export type ModelConfigMutation = FoundModelConfig;

export const API_EVENT_SOURCE = 'usage-ledger/api';

/** A fresh event identity: (source, id) is how the projector dedupes and how we find it. */
export function eventMeta(now: Date): EnvelopeMeta {
  return { source: API_EVENT_SOURCE, id: randomUUID(), time: now };
}
