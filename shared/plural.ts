/**
 * Counted nouns for every user-facing text, client and server: "1 session", "3 sessions", never
 * "session(s)". The words are English, so the plural category and the number use English rules.
 */
const LOCALE = 'en';
const rules = new Intl.PluralRules(LOCALE);
const numbers = new Intl.NumberFormat(LOCALE);

/** The noun's forms; `other` defaults to `one` + "s". */
export type NounForms = string | { one: string; other: string };

/** The form of `noun` that goes with `count` ("charger" / "chargers"), without the number. */
export function pluralWord(count: number, noun: NounForms): string {
  const forms = typeof noun === 'string' ? { one: noun, other: `${noun}s` } : noun;
  return rules.select(count) === 'one' ? forms.one : forms.other;
}

/** "1 charger", "1,204 chargers", "0 chargers". */
export function plural(count: number, noun: NounForms): string {
  return `${numbers.format(count)} ${pluralWord(count, noun)}`;
}

/** A count as the texts show it: "1,204". */
export function formatCount(count: number): string {
  return numbers.format(count);
}
