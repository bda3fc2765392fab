/**
 * A readiness check a host's modules may add (the projector: "consuming its own topics").
 * `check` rejects with the reason when not ready.
 */
export interface ConsumptionReadiness {
  check(): Promise<void>;
}

export const CONSUMPTION_READINESS = Symbol('ConsumptionReadiness');
