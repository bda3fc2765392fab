import type { ServerResponse } from 'node:http';
import { AdmissionResponse } from '../http/admission.view';
import { AdmitRequestCommand } from './admit-request.command';

/** The admission route's work, shared by its controller and its direct routes: one behaviour. */
export async function serveAdmission(
  execute: (command: AdmitRequestCommand) => Promise<AdmissionResponse>,
  body: unknown,
  res: ServerResponse,
): Promise<AdmissionResponse> {
  const answer = await execute(new AdmitRequestCommand(body, new Date()));
  if (answer.retry_after_seconds !== undefined) {
    res.setHeader('Retry-After', String(answer.retry_after_seconds));
  }
  return answer;
}
