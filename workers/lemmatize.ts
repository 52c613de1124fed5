/** Piscina worker: lemmatises a batch of normalised terms (one analyser per thread, memoised). */
import { Lemmatizer } from '../src/lexicon/lemmatize.js';

let lemmatizer: Lemmatizer | null = null;

export default function lemmatizeBatch(terms: string[]): string[] {
  lemmatizer ??= new Lemmatizer();
  const out = new Array<string>(terms.length);
  for (let i = 0; i < terms.length; i++) out[i] = lemmatizer.lemmatize(terms[i]);
  return out;
}
