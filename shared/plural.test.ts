import { describe, expect, it } from 'vitest';
import { plural, pluralWord } from './plural.ts';

describe('plural', () => {
  it('counts a noun by the English plural rules, with grouped digits', () => {
    expect(plural(1, 'session')).toBe('1 session');
    expect(plural(0, 'session')).toBe('0 sessions');
    expect(plural(2, 'session')).toBe('2 sessions');
    expect(plural(1204, 'charger')).toBe('1,204 chargers');
  });

  it('takes irregular forms', () => {
    const forms = { one: 'reservation expired', other: 'reservations expired' };
    expect(plural(1, forms)).toBe('1 reservation expired');
    expect(plural(3, forms)).toBe('3 reservations expired');
    expect(pluralWord(1, { one: 'its EV card is', other: 'their EV cards are' })).toBe('its EV card is');
    expect(pluralWord(2, { one: 'its EV card is', other: 'their EV cards are' })).toBe('their EV cards are');
  });
});
