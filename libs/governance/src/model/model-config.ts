/** The domain shape of a model config, independent of any wire format. */
export const SCOPES = ['global', 'virtual_key', 'user'] as const;
export type Scope = (typeof SCOPES)[number];

/** Money is held as integer nano-dollars (1e-9 USD) so sums are exact. */
export type Nanos = bigint;

export interface BudgetDefinition {
  id: string;
  maxLimit: Nanos;
  resetDuration: string;
}

export interface RateLimitDefinition {
  id: string;
  tokenMaxLimit: number | null;
  tokenResetDuration: string | null;
  requestMaxLimit: number | null;
  requestResetDuration: string | null;
}

export interface ModelConfigDefinition {
  id: string;
  modelName: string;
  /** null = all providers */
  provider: string | null;
  scope: Scope;
  /** null for global, required otherwise */
  scopeId: string | null;
  scopeName: string | null;
  calendarAligned: boolean;
  budgets: BudgetDefinition[];
  rateLimit: RateLimitDefinition | null;
  createdAt: Date;
  updatedAt: Date;
}

export const ALL_MODELS = '*';
