import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every Prometheus metric the service exports, on one registry per process. */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'usage_ledger_http_request_duration_seconds',
    help: 'HTTP request latency by route and read-model data source',
    labelNames: ['method', 'route', 'status', 'data_source'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly eventsApplied = new Counter({
    name: 'usage_ledger_events_applied_total',
    help: 'Events applied to the read models, by topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly duplicates = new Counter({
    name: 'usage_ledger_events_duplicate_total',
    help: 'Redelivered events recognised by (source, id) and not applied again',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'usage_ledger_dead_letters_total',
    help: 'Records sent to the dead-letter topic, by reason code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly projectorLag = new Gauge({
    name: 'usage_ledger_projector_lag_messages',
    help: 'Messages between the high watermark and the next offset to apply, per partition',
    labelNames: ['topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly batchDuration = new Histogram({
    name: 'usage_ledger_batch_apply_duration_seconds',
    help: 'Time to apply one partition batch (decode, transaction, Redis)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly batchRetries = new Counter({
    name: 'usage_ledger_batch_retries_total',
    help: 'Partition batches that failed and were retried in place (an outage, never a bad record)',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly consumerRestarts = new Counter({
    name: 'usage_ledger_consumer_restarts_total',
    help: 'Consumers that kafkajs stopped on an error it does not retry, started again by the projector',
    labelNames: ['group'] as const,
    registers: [this.registry],
  });

  readonly redisResyncs = new Counter({
    name: 'usage_ledger_redis_resyncs_total',
    help: 'Redis read-model resyncs from PostgreSQL, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly admissions = new Counter({
    name: 'usage_ledger_admissions_total',
    help: 'Gateway admissions by outcome (allowed, blocked, repeated, degraded when Redis was away in open mode, unavailable in closed mode)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly admissionReleases = new Counter({
    name: 'usage_ledger_admission_releases_total',
    help: 'DELETE of an admission, by whether an active hold was released',
    labelNames: ['released'] as const,
    registers: [this.registry],
  });

  readonly alertsPublished = new Counter({
    name: 'usage_ledger_alerts_published_total',
    help: 'Threshold alerts published from the outbox to the alert topic',
    registers: [this.registry],
  });

  readonly retentionRuns = new Counter({
    name: 'usage_ledger_retention_runs_total',
    help: 'Event retention job runs by outcome (dropped, held_back, nothing_to_drop, other_instance: another instance holds the job, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly retentionPartitionsDropped = new Counter({
    name: 'usage_ledger_retention_partitions_dropped_total',
    help: 'Event-store month partitions folded into the snapshot and dropped by this instance',
    registers: [this.registry],
  });

  readonly retentionBoundary = new Gauge({
    name: 'usage_ledger_retention_boundary_seconds',
    help: 'Unix time before which events are no longer kept (folded into the snapshot); 0 while none were dropped',
    registers: [this.registry],
  });

  readonly retentionSnapshotSeq = new Gauge({
    name: 'usage_ledger_retention_snapshot_seq',
    help: 'The read-model snapshot holds every event with a seq up to this one (a rebuild replays only the events after it)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
