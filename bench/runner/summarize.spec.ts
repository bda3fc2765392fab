import { spread, summarize } from './summarize';

const scenario = {
  figures: [
    {
      name: 'fast',
      label: 'fast',
      unit: 'events/s',
      better: 'higher' as const,
      baselines: ['slow'],
      targets: [
        { text: '>= 30x slow', baseline: 'slow', min: 30 },
        { text: '>= 1000 events/s', min: 1000 },
      ],
    },
    { name: 'slow', label: 'slow', unit: 'events/s', better: 'higher' as const },
  ],
};

describe('summarize', () => {
  it('takes the median of an odd and of an even number of runs', () => {
    expect(spread([3, 1, 2])).toMatchObject({ median: 2, min: 1, max: 3 });
    expect(spread([4, 1, 2, 3])).toMatchObject({ median: 2.5, min: 1, max: 4 });
  });

  it('computes each ratio within its own run, then the spread of those ratios', () => {
    const [fast] = summarize(scenario, [
      { fast: 100, slow: 10 },
      { fast: 300, slow: 10 },
      { fast: 50, slow: 1 },
    ]);
    expect(fast.ratios[0]).toMatchObject({ baseline: 'slow', median: 30, min: 10, max: 50 });
  });

  it('judges targets on medians: of the ratio, or of the figure itself', () => {
    const [fast] = summarize(scenario, [
      { fast: 900, slow: 10 },
      { fast: 900, slow: 40 },
      { fast: 950, slow: 20 },
    ]);
    expect(fast.targets).toEqual([
      { text: '>= 30x slow', met: true, on: 47.5 },
      { text: '>= 1000 events/s', met: false, on: 900 },
    ]);
  });

  it('leaves out a figure that some run did not produce', () => {
    expect(summarize(scenario, [{ slow: 1 }]).map((f) => f.name)).toEqual(['slow']);
  });
});
