import { InvalidRecordError } from '../dead-letter/dead-letter-reason';
import { readExpectedVersion } from './expected-version';

describe('readExpectedVersion', () => {
  it('is null when the attribute is absent', () => {
    expect(readExpectedVersion(undefined, 'expectedversion')).toBeNull();
  });

  it('reads a JSON integer and a binary-mode header string', () => {
    expect(readExpectedVersion(3, 'expectedversion')).toBe(3);
    expect(readExpectedVersion('12', 'header ce_expectedversion')).toBe(12);
  });

  it.each([0, -1, 1.5, 'v2', true])('rejects %j as invalid_field', (value) => {
    expect(() => readExpectedVersion(value, 'expectedversion')).toThrow(InvalidRecordError);
  });
});
