/**
 * The PostgreSQL tables of one read-model version, schema-qualified. Every statement of the
 * ledger spells its tables through this object, never as a literal, so a second version can
 * be built in its own schema beside the active one.
 */
export class ReadModelTables {
  readonly configs: string;
  readonly counters: string;
  readonly state: string;
  readonly configCounts: string;

  constructor(readonly schema: string) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid read-model schema ${schema}`);
    this.configs = `${schema}.model_configs`;
    this.counters = `${schema}.usage_counters`;
    this.state = `${schema}.read_model_state`;
    this.configCounts = `${schema}.model_config_counts`;
  }
}
