import { compareVersions } from './versions';

describe('compareVersions', () => {
  it.each([
    ['1.10.0', '1.9.2', 1],
    ['1.2', '1.2.0', 0],
    ['v2.0.0', '2.0.1', -1],
    ['1.0.0-beta', '1.0.0', undefined],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});
