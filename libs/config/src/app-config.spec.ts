import { AppConfig, InvalidConfigError } from './app-config';

describe('AppConfig', () => {
  it('applies the documented defaults', () => {
    const config = AppConfig.fromEnv({});
    expect(config.env.PORT).toBe(8080);
    expect(config.topics).toEqual({
      usage: 'governance.usage.v1',
      config: 'governance.config.v1',
      dlq: 'governance.dlq.v1',
      alerts: 'governance.alerts.v1',
    });
    expect(config.env.ALERT_THRESHOLDS).toEqual([50, 80, 100]);
    expect(AppConfig.fromEnv({ ALERT_THRESHOLDS: 'none' }).env.ALERT_THRESHOLDS).toEqual([]);
    expect(() => AppConfig.fromEnv({ ALERT_THRESHOLDS: '50,x' })).toThrow(/ALERT_THRESHOLDS/);
    expect(config.env.MAX_CLOCK_SKEW).toBe(300_000);
    expect(config.env.KAFKA_BROKERS).toEqual(['127.0.0.1:19092']);
  });

  it('names the variable of a bad value', () => {
    expect(() => AppConfig.fromEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => AppConfig.fromEnv({ MAX_CLOCK_SKEW: '5 minutes' })).toThrow(InvalidConfigError);
  });

  it('keeps every event unless EVENT_RETENTION is a duration', () => {
    expect(AppConfig.fromEnv({}).env.EVENT_RETENTION).toBeNull();
    expect(AppConfig.fromEnv({ EVENT_RETENTION: '90d' }).env.EVENT_RETENTION).toBe(7_776_000_000);
    expect(AppConfig.fromEnv({ EVENT_RETENTION: 'forever' }).env.EVENT_RETENTION).toBeNull();
    expect(() => AppConfig.fromEnv({ EVENT_RETENTION: '0s' })).toThrow(/EVENT_RETENTION/);
    expect(() => AppConfig.fromEnv({ EVENT_RETENTION: '3 months' })).toThrow(/EVENT_RETENTION/);
  });

  it('splits API keys for rotation and treats blank variables as unset', () => {
    const config = AppConfig.fromEnv({ GOVERNANCE_API_KEYS: 'old, new', PORT: '' });
    expect(config.env.GOVERNANCE_API_KEYS).toEqual(['old', 'new']);
    expect(config.env.PORT).toBe(8080);
  });

  it('reads Redis Cluster seed nodes as host:port and names the variable of a bad one', () => {
    expect(AppConfig.fromEnv({}).env.REDIS_CLUSTER_NODES).toEqual([]);
    const config = AppConfig.fromEnv({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b:7001' });
    expect(config.env.REDIS_CLUSTER_NODES).toEqual(['10.0.0.1:7000', 'redis-b:7001']);
    expect(() => AppConfig.fromEnv({ REDIS_CLUSTER_NODES: 'redis://10.0.0.1' })).toThrow(
      /REDIS_CLUSTER_NODES/,
    );
  });
});
