import { relativeTime } from './time';

describe('relativeTime', () => {
  const now = Date.parse('2026-01-10T12:00:00Z');
  it.each([
    ['2026-01-10T11:55:00Z', '5 minutes ago'],
    ['2026-01-13T12:00:00Z', 'in 3 days'],
    ['2026-01-10T11:59:30Z', 'just now'],
    ['2026-01-10T10:00:00Z', '2 hours ago'],
    ['not a date', 'not a date'],
  ])('%s → %s', (iso, expected) => {
    expect(relativeTime(iso, now)).toBe(expected);
  });
});
