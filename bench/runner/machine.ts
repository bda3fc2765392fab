import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import Redis from 'ioredis';
import { cpus, freemem, loadavg, release, totalmem } from 'os';
import { join } from 'path';
import { Client } from 'pg';
import { BenchSettings } from './scenario';

const ROOT = join(__dirname, '..', '..');
const GIB = 1024 ** 3;

export interface Machine {
  cpu: string;
  cores: number;
  memory_gib: number;
  free_memory_gib: number;
  os: string;
  /** 1-minute load average at the start: above the core count, other work shares the CPU */
  load_average_1m: number;
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memory_gib: Number((totalmem() / GIB).toFixed(1)),
    free_memory_gib: Number((freemem() / GIB).toFixed(1)),
    os: `${process.platform} ${release()}`,
    load_average_1m: Number(loadavg()[0].toFixed(2)),
  };
}

export async function versions(settings: BenchSettings): Promise<Record<string, string>> {
  const pg = new Client({
    connectionString: settings.databaseUrl.replace(/\/[^/]*$/, '/postgres'),
  });
  await pg.connect();
  const { rows } = await pg.query<{ server_version: string }>('SHOW server_version');
  await pg.end();
  const redis = new Redis(settings.redisUrl, { lazyConnect: true });
  await redis.connect();
  const info = await redis.info('server');
  redis.disconnect();
  return {
    usage_ledger: `${packageVersion(ROOT)} (${gitCommit()})`,
    node: process.version,
    postgresql: rows[0].server_version,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    kafka:
      /<kafka\.version>([^<]+)</.exec(
        readFileSync(join(ROOT, 'tools/kafka/pom.xml'), 'utf8'),
      )?.[1] ?? 'unknown',
    kafkajs: packageVersion(join(ROOT, 'node_modules/kafkajs')),
  };
}

function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
    .version;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    return 'no git';
  }
}
