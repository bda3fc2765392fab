import { Scope } from '@app/governance';

/** A listing request as both read models take it (validated by the API). */
export interface ConfigListFilter {
  /** case-insensitive substring of model_name (see foldSearchText), taken literally */
  search: string | null;
  scope: Scope | null;
  scopeId: string | null;
  provider: string | null;
}

export interface ConfigListQuery extends ConfigListFilter {
  limit: number;
  offset: number;
}

/** What the reference (selectPage) filters and orders on. */
export interface ConfigListingRow {
  id: string;
  createdAtMs: number;
  scope: string;
  scopeId: string | null;
  provider: string | null;
  modelName: string;
}
