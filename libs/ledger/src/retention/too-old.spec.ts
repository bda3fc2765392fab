import { tooOld } from './too-old';

describe('tooOld', () => {
  const boundary = new Date('2026-11-01T00:00:00Z');

  it('keeps everything while nothing was dropped', () => {
    expect(tooOld(new Date('2001-01-01T00:00:00Z'), null)).toBeNull();
  });

  it('keeps an event at the boundary and refuses one a millisecond before it', () => {
    expect(tooOld(boundary, boundary)).toBeNull();
    expect(tooOld(new Date(boundary.getTime() - 1), boundary)).toEqual({
      code: 'too_old',
      message: expect.stringContaining(
        '2026-10-31T23:59:59.999Z is before 2026-11-01T00:00:00.000Z',
      ),
    });
  });
});
