/** Word tokens of running Turkish text, normalised like terms. */
import { normalizeTerm } from '../../lexicon/normalize.js';

const NON_WORD = /[^\p{L}\p{N}'’]+/u;

/**
 * Splits on anything that is not a letter or digit. A Turkish apostrophe separates a proper noun
 * from its suffixes (`Ali'nin`), so only the part before it is kept.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of normalizeTerm(text).split(NON_WORD)) {
    if (raw.length === 0) continue;
    const cut = raw.search(/['’]/u);
    const token = cut === -1 ? raw : raw.slice(0, cut);
    if (token.length > 0) out.push(token);
  }
  return out;
}
