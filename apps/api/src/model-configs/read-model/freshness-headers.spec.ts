import { freshnessHeaders } from './freshness-headers';

describe('freshnessHeaders', () => {
  const now = new Date('2026-01-01T00:00:01.500Z');

  it('reports the data source, the newest event time and the lag behind now', () => {
    expect(
      freshnessHeaders({ source: 'redis', asOf: new Date('2026-01-01T00:00:00Z') }, now),
    ).toEqual({
      'X-Data-Source': 'redis',
      'X-Read-Model-As-Of': '2026-01-01T00:00:00.000Z',
      'X-Read-Model-Lag-Ms': '1500',
    });
  });

  it('omits the freshness of a read model that has applied nothing yet', () => {
    expect(freshnessHeaders({ source: 'postgres', asOf: null }, now)).toEqual({
      'X-Data-Source': 'postgres',
    });
  });

  it('never reports a negative lag for an event stamped in the future', () => {
    const ahead = new Date(now.getTime() + 5000);
    expect(freshnessHeaders({ source: 'postgres', asOf: ahead }, now)['X-Read-Model-Lag-Ms']).toBe(
      '0',
    );
  });
});
