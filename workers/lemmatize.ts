/** Piscina worker: lemmatises a batch of normalised terms (one analyser per thread, memoised). */
import { Lemmatizer } from '../src/lexicon/lemmatize.js';

export interface LemmatizeTask {
  terms: string[];
  /** false: ask the analyser even where the shipped lemma table knows the answer. */
  useTable?: boolean;
}

const lemmatizers = new Map<boolean, Lemmatizer>();

export function lemmatizeBatch(task: LemmatizeTask): string[] {
  const useTable = task.useTable ?? true;
  let lemmatizer = lemmatizers.get(useTable);
  if (!lemmatizer) lemmatizers.set(useTable, (lemmatizer = new Lemmatizer({ useTable })));
  const out = new Array<string>(task.terms.length);
  for (let i = 0; i < task.terms.length; i++) out[i] = lemmatizer.lemmatize(task.terms[i]);
  return out;
}
