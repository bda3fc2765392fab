import { percentile, ProbeLatencies } from './probe-watch';

describe('ProbeLatencies', () => {
  it('gives every probe up to the observed count its latency, once', () => {
    const probes = new ProbeLatencies([0, 10, 20]);
    probes.observe(2, 25);
    probes.observe(2, 30);
    probes.observe(3, 40);
    expect(probes.latencies).toEqual([25, 15, 20]);
  });

  it('takes the nearest-rank percentile', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
  });
});
