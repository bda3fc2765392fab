import { LedgerEvent, ledgerEventEnvelope } from '@app/contracts';

/**
 * The event store keeps every event as a normalized structured CloudEvent, whatever mode it
 * arrived in: replay decodes it with the same decoder the projector uses.
 */
export function serializeEnvelope(event: LedgerEvent): string {
  return JSON.stringify(ledgerEventEnvelope(event));
}
