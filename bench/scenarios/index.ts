import { Scenario } from '../runner/scenario';
import { ingestScenario } from './ingest.scenario';

/** Every scenario `npm run bench` runs, in order. A new one is a module and a line here. */
export const SCENARIOS: (() => Scenario)[] = [ingestScenario];
