import { boundaryFor, MonthPartition } from './event-partitions';

const month = (iso: string, toIso: string): MonthPartition => ({
  name: iso,
  from: new Date(iso),
  to: new Date(toIso),
});

describe('boundaryFor', () => {
  const months = [
    month('2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z'),
    month('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'),
    month('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'),
  ];

  it('is the end of the newest month entirely before the horizon', () => {
    expect(boundaryFor(months, new Date('2026-11-15T00:00:00Z'))).toEqual(
      new Date('2026-11-01T00:00:00Z'),
    );
    expect(boundaryFor(months, new Date('2026-11-01T00:00:00Z'))).toEqual(
      new Date('2026-11-01T00:00:00Z'),
    );
  });

  it('is null while every month still reaches past the horizon', () => {
    expect(boundaryFor(months, new Date('2026-09-30T23:59:59Z'))).toBeNull();
  });
});
