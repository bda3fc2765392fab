import { Scope } from '@app/governance';

export interface BudgetData {
  id: string;
  /** USD, decimal string or JSON number */
  max_limit: string | number;
  reset_duration: string;
}

export interface RateLimitData {
  id: string;
  token_max_limit: number | null;
  token_reset_duration: string | null;
  request_max_limit: number | null;
  request_reset_duration: string | null;
}

/** `governance.model_config.upserted.v1` data: the full config after the change. */
export interface ModelConfigUpsertedData {
  id: string;
  /** `*` = every model */
  model_name: string;
  /** null or absent = every provider */
  provider?: string | null;
  scope: Scope;
  /** null for global */
  scope_id?: string | null;
  scope_name?: string | null;
  calendar_aligned?: boolean;
  budgets?: BudgetData[];
  rate_limit?: RateLimitData | null;
  created_at: string;
  updated_at: string;
}
