/** What surface evidence says of two terms of a list, with where it comes from. */
import type { RelationLabel } from '../types.js';

/**
 * Kinds of evidence, each a rule of its own module:
 * - `surface`: the same term after NFKC and punctuation (`( aldatma )`, a ligature);
 * - `ascii`: written without Turkish letters (`is kazasi olum geliri`) or with the ASCII `I`;
 * - `circumflex`: with and without a circumflex, where the lexicon does not make two words of it;
 * - `inflection`: a phrase with an inflected head (`türk ceza kanununa` / `türk ceza kanunu`);
 * - `acronym`: an acronym and the name its initials spell (`tck` / `türk ceza kanunu`);
 * - `compositional`: two phrases equal up to function words, acronyms and synonym words;
 * - `number`, `negation`, `antonym`: phrases that differ only in a number, a negation or an
 *   antonym word (never to share a cluster);
 * - `sibling`: phrases that differ only in one non-synonymous word (co-hyponyms).
 */
export type EvidenceKind = 'surface' | 'ascii' | 'circumflex' | 'inflection' | 'acronym' | 'compositional' | 'number' | 'negation' | 'antonym' | 'sibling';

export const EVIDENCE_KINDS: readonly EvidenceKind[] = ['surface', 'ascii', 'circumflex', 'inflection', 'acronym', 'compositional', 'number', 'negation', 'antonym', 'sibling'];

/**
 * Kinds that say two strings are one term written two ways (an acronym is its name's short
 * spelling): the clusterer draws such a family into one node (src/cluster/families.ts).
 */
export const SPELLING_KINDS: ReadonlySet<EvidenceKind> = new Set(['surface', 'ascii', 'circumflex', 'inflection', 'acronym']);

/** Kinds that forbid a shared cluster (stored as cannot-links as well as verdicts). */
export const FORBIDDING: ReadonlySet<EvidenceKind> = new Set(['number', 'negation', 'antonym']);

export const LABEL_OF_KIND: Record<EvidenceKind, RelationLabel> = {
  surface: 'synonym',
  ascii: 'synonym',
  circumflex: 'synonym',
  inflection: 'synonym',
  acronym: 'synonym',
  compositional: 'synonym',
  number: 'co-hyponym',
  negation: 'antonym',
  antonym: 'antonym',
  sibling: 'co-hyponym',
};

/** One piece of evidence between terms a and b (indices into the list given), a != b. */
export interface Evidence {
  a: number;
  b: number;
  kind: EvidenceKind;
  /** What was seen, for a user reading why two terms were joined or kept apart. */
  detail: string;
}

/** What the lexicon and the morphological analyser know of single words. */
export interface WordKnowledge {
  /** A word the lexicon lists or the analyser can parse. */
  isWord(word: string): boolean;
  /** The lexicon lists this exact word. */
  inLexicon(word: string): boolean;
  /**
   * Two words that share a synset: spellings or synonyms of one word in some sense. This and the
   * two below hold only between words the lexicon lists (inLexicon), which callers rely on.
   */
  synonyms(a: string, b: string): boolean;
  /**
   * Two words whose most common senses are one synset: synonyms a phrase can swap without a
   * sense changing under it (`kara` ~ `toprak` share only kara's third sense: `kara yol` is no
   * `toprak yol`).
   */
  plainSynonyms(a: string, b: string): boolean;
  /** The word's most common synset, if the lexicon lists it: plainSynonyms(a, b) holds exactly when the two are one. */
  plainSense(word: string): string | undefined;
  /** Two words of synsets joined by an antonym relation. */
  antonyms(a: string, b: string): boolean;
  /** The word can head a noun phrase: some analysis ends in a noun, or the analyser does not know it (a name). */
  nounLike(word: string): boolean;
  /** Stems of the word's analyses without derivation (`kanununa` -> kanun); empty when none. */
  inflectionStems(word: string): readonly string[];
}

/** What a lexicon says of single words (the store reads it): their synsets and the antonym links between synsets. */
export interface LexiconWords {
  /** Single-word literal -> the synsets it belongs to, its most common sense first. */
  synsetsOf: ReadonlyMap<string, readonly string[]>;
  /** Synset -> the synsets it is an antonym of (both directions). */
  antonymsOf: ReadonlyMap<string, readonly string[]>;
}
