import { Scenario } from '../runner/scenario';
import { admissionScenario } from './admission.scenario';
import { freshnessScenario } from './freshness.scenario';
import { ingestScenario } from './ingest.scenario';
import { listScenario } from './list.scenario';
import { replayScenario } from './replay.scenario';
import { scaleOutScenario } from './scale-out.scenario';

/** Every scenario `npm run bench` runs, in order. A new one is a module and a line here. */
export const SCENARIOS: (() => Scenario)[] = [
  ingestScenario,
  freshnessScenario,
  scaleOutScenario,
  admissionScenario,
  listScenario,
  replayScenario,
];
