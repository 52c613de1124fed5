/**
 * From any surface form to a stored term: normalised form, then the circumflex-folded key, then
 * the lemma (`Kitaplarımızdan` -> `kitap`). Each step is only tried when the previous one missed,
 * so the exact spelling always wins (`kâr`, profit, is not `kar`, snow).
 */
import { foldCircumflex, Lemmatizer, normalizeTerm } from '../lexicon/index.js';
import { LIMITS, QueryInputError } from './limits.js';
import type { ServeReader, TermRow } from './reader.js';

export type MatchVia = 'exact' | 'folded' | 'lemma';

export interface TermMatch {
  id: number;
  norm: string;
  via: MatchVia;
}

/** Memoised surface forms kept before the lemmatiser is renewed: bounds memory under arbitrary input. */
const LEMMA_MEMO_CAP = 100_000;

export class TermResolver {
  private lemmatizer = new Lemmatizer();

  constructor(private readonly reader: ServeReader) {}

  /** Loads the morphological analyser now (about a second) rather than on the first inflected query. */
  warm(): void {
    this.lemmatizer.lemmatizeWord('kitaplarımızdan');
  }

  /** The normalised form of a caller's term; an empty or over-long one is refused. */
  normalize(input: string): string {
    if (input.length > LIMITS.termLength) throw new QueryInputError(`term is longer than ${LIMITS.termLength} characters`);
    const norm = normalizeTerm(input);
    if (norm.length === 0) throw new QueryInputError('term is empty');
    return norm;
  }

  resolve(input: string): TermMatch | null {
    return this.resolveNorm(this.normalize(input));
  }

  resolveNorm(norm: string): TermMatch | null {
    const hit = this.byKeys(norm);
    if (hit) return hit;
    if (this.lemmatizer.cacheSize > LEMMA_MEMO_CAP) this.lemmatizer = new Lemmatizer();
    const lemma = this.lemmatizer.lemmatize(norm);
    const row = (lemma !== norm ? this.byKeys(lemma) : null) ?? this.reader.termByLemma(lemma) ?? (lemma !== norm ? this.reader.termByLemma(norm) : undefined);
    return row ? { id: row.id, norm: row.norm, via: 'lemma' } : null;
  }

  private byKeys(norm: string): TermMatch | null {
    const exact = this.reader.termByNorm(norm);
    if (exact) return match(exact, 'exact');
    const folded = this.reader.termByFolded(foldCircumflex(norm));
    return folded ? match(folded, 'folded') : null;
  }
}

function match(row: TermRow, via: MatchVia): TermMatch {
  return { id: row.id, norm: row.norm, via };
}
