import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.ts';

describe('formatDuration', () => {
  it('never says "0 min" for something that waited', () => {
    expect(formatDuration(400)).toBe('1 sec');
    expect(formatDuration(42_000)).toBe('42 sec');
    expect(formatDuration(59_999)).toBe('59 sec');
    expect(formatDuration(0)).toBe('0 sec');
  });

  it('uses minutes, hours with minutes, then days', () => {
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(12 * 60_000 + 30_000)).toBe('12 min');
    expect(formatDuration(2 * 3_600_000)).toBe('2 hr');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 hr 5 min');
    expect(formatDuration(3 * 86_400_000)).toBe('3 days');
  });
});
