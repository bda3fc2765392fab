/** `governance.model_config.deleted.v1` data. */
export interface ModelConfigDeletedData {
  id: string;
}
