/**
 * SteVe's identity rule for charge box ids and idTags. SteVe's tables use the MariaDB/MySQL
 * collation `utf8mb3_unicode_ci`, so the database (and so SteVe) treats `FID-Case-15`,
 * `fid-case-15` and `fid-case-15 ` as the same charge box, and `Ä1` and `a1` as the same tag.
 * `steveKey()` maps an id to one key per such class, for Polaris-side maps and comparisons: use it
 * wherever a charge box id or idTag coming from SteVe is looked up or compared.
 *
 * The rule follows the collation's UCA weights for the characters ids use in practice: letter
 * case is ignored, accents and other combining marks are ignored, compatibility forms fold
 * (`ﬁ` = `fi`, full-width letters = ASCII), `ß` = `ss`, and trailing spaces do not count (PAD
 * SPACE). Leading spaces and other punctuation do count.
 */
export function steveKey(id: string): string {
  return id.normalize('NFKD').replace(/\p{M}/gu, '').replace(/ +$/, '').toLowerCase().replaceAll('ß', 'ss');
}

/** Whether SteVe considers two charge box ids (or two idTags) the same. */
export function sameSteveId(a: string, b: string): boolean {
  return steveKey(a) === steveKey(b);
}
