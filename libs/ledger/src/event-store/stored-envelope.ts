import { LedgerEvent, ledgerEventEnvelope } from '@app/contracts';

/**
 * The event store keeps every event as a structured CloudEvent: the producer's own bytes when
 * it arrived in structured mode, a normalized envelope when it arrived in binary mode. Replay
 * decodes it with the same decoder the projector uses.
 */
export function serializeEnvelope(event: LedgerEvent): Buffer {
  return Buffer.from(JSON.stringify(ledgerEventEnvelope(event)), 'utf8');
}
