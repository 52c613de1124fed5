/**
 * WordKnowledge over the stored lexicon (a held-out build's holds only what it may see) and the
 * morphological analyser: the single-word facts the evidence rules consult.
 */
import type { Lemmatizer } from '../lexicon/lemmatize.js';
import type { LexiconWords, WordKnowledge } from './types.js';

export function wordKnowledge(lexicon: LexiconWords, lemmatizer: Lemmatizer): WordKnowledge {
  const { synsetsOf, antonymsOf } = lexicon;
  return {
    inLexicon: (w) => synsetsOf.has(w),
    isWord: (w) => synsetsOf.has(w) || lemmatizer.isWord(w),
    synonyms: (a, b) => {
      const sa = synsetsOf.get(a);
      const sb = synsetsOf.get(b);
      return sa !== undefined && sb !== undefined && sa.some((s) => sb.includes(s));
    },
    plainSynonyms: (a, b) => {
      const sa = synsetsOf.get(a);
      const sb = synsetsOf.get(b);
      return sa !== undefined && sb !== undefined && sa[0] === sb[0];
    },
    plainSense: (w) => synsetsOf.get(w)?.[0],
    antonyms: (a, b) => {
      const sa = synsetsOf.get(a);
      const sb = synsetsOf.get(b);
      return sa !== undefined && sb !== undefined && sa.some((s) => (antonymsOf.get(s) ?? []).some((t) => sb.includes(t)));
    },
    inflectionStems: (w) => lemmatizer.inflectionStems(w),
    nounLike: (w) => lemmatizer.nounLike(w),
  };
}
