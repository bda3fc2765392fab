import { ModelConfigDefinition } from '@app/governance';
import { aConfig, configUpserted } from './event-builders';
import { storedUsage, UsageStream } from './fault-reference';
import { ProjectorProcess } from './projector-process';
import { waitFor } from './wait-for';
import { WriteSideSuite } from './write-side-suite';

export interface FaultStream {
  config: ModelConfigDefinition;
  stream: UsageStream;
}

/** One config (named after the scenario) and the usage stream that charges it. */
export async function faultStream(suite: WriteSideSuite, scenario: string): Promise<FaultStream> {
  const config = aConfig({ modelName: scenario });
  await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
  return { config, stream: new UsageStream(suite.kafka, suite.topics.usage, scenario) };
}

/** Events applied before a fault is injected: the fault lands in the middle of the stream. */
const APPLIED_BEFORE_FAULT = 500;

/**
 * A stream under way: the projector started, `events` produced, and the first ones applied,
 * so the caller's fault hits a projector with batches committed and others in flight.
 */
export async function streamUnderWay(
  suite: WriteSideSuite,
  projector: ProjectorProcess,
  scenario: string,
  events: number,
): Promise<FaultStream> {
  const started = await faultStream(suite, scenario);
  projector.start();
  await started.stream.produce(events);
  await waitFor(
    'some of the stream applied',
    async () => (await storedUsage(suite.db)) >= APPLIED_BEFORE_FAULT,
    90_000,
    5,
  );
  return started;
}
