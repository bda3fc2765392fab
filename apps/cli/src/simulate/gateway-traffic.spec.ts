import { decodeRecord, USAGE_RECORDED_V1 } from '@app/contracts';
import { buildFleet } from './fleet-configs';
import { GatewayTraffic } from './gateway-traffic';

const now = new Date('2026-06-01T12:00:00Z');
const mix = { duplicates: 0.1, late: 0.1, streaming: 0.3, failures: 0.05 };

describe('GatewayTraffic', () => {
  it('produces valid usage CloudEvents, exactly as many records as asked', () => {
    const traffic = new GatewayTraffic(buildFleet(100), mix);
    const records = traffic.take(500, now);
    expect(records).toHaveLength(500);
    for (const r of records) {
      const options = { now, maxClockSkewMs: 300_000, maxValueBytes: 65_536 };
      expect(decodeRecord(r, options)).toMatchObject({ type: USAGE_RECORDED_V1 });
    }
  });

  it('counts retries once: distinct ids equal the events it reports', () => {
    const traffic = new GatewayTraffic(buildFleet(100), mix);
    const ids = traffic
      .take(2000, now)
      .map((r) => (JSON.parse(r.value.toString()) as { id: string }).id);
    expect(traffic.stats.duplicates).toBeGreaterThan(50);
    expect(new Set(ids).size).toBe(ids.length - traffic.stats.duplicates);
  });

  it('sends late events and streamed chunks with one final chunk per call', () => {
    const traffic = new GatewayTraffic(buildFleet(100), mix);
    const data = traffic.take(2000, now).map(
      (r) =>
        JSON.parse(r.value.toString()) as {
          time: string;
          data: { streaming: boolean; final_chunk: boolean };
        },
    );
    expect(data.filter((e) => Date.parse(e.time) < now.getTime()).length).toBeGreaterThan(50);
    const chunks = data.filter((e) => e.data.streaming);
    expect(chunks.filter((e) => !e.data.final_chunk).length).toBeGreaterThan(100);
    expect(traffic.stats.chunks).toBeGreaterThan(0);
  });
});
