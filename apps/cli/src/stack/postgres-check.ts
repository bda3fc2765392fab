import { ensureDatabase } from '@app/database';
import { Client } from 'pg';
import { maskUrl, reasonOf, ServiceReport } from './service-report';

const CONNECT_TIMEOUT_MS = 3000;

/** PostgreSQL at `url` answers; with `create`, the database named in it exists afterwards. */
export async function checkPostgres(url: string, create: boolean): Promise<ServiceReport> {
  const { hostname, port, pathname } = new URL(url);
  const where = `${hostname}:${port || 5432}`;
  const database = decodeURIComponent(pathname.slice(1)) || 'postgres';
  try {
    const existed = await databaseExists(url, database);
    if (create && !existed) await ensureDatabase(url);
    const state = existed ? 'exists' : create ? 'created' : 'missing';
    return { service: 'postgres', up: true, detail: `${where} (database ${database} ${state})` };
  } catch (error) {
    return {
      service: 'postgres',
      up: false,
      detail: `${where}: ${reasonOf(error)} (DATABASE_URL=${maskUrl(url)}; start PostgreSQL, e.g. 'sudo service postgresql start', or point DATABASE_URL at a running server)`,
    };
  }
}

async function databaseExists(url: string, database: string): Promise<boolean> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({
    connectionString: admin.toString(),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    return found.rowCount === 1;
  } finally {
    await client.end();
  }
}
