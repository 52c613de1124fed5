/** Helper thread of SignatureHelper: signs each batch of terms into the batch's shared array (util/task-helper.ts counts its rows). */
import type { SignatureTask, SignatureWorkerData } from '../src/relations/signature-helper.js';
import { serveTasks } from '../src/util/task-helper.js';

serveTasks<SignatureWorkerData, SignatureTask>(async ({ lemmatize }) => {
  const { surfaceSignature, SIG_FIELDS } = await import('../src/relations/morphology.js');
  const { Lemmatizer } = await import('../src/lexicon/lemmatize.js');
  const lemmatizer = lemmatize ? new Lemmatizer() : null;
  const wordLemma = lemmatizer ? (w: string): string | undefined => lemmatizer.knownLemma(w) : undefined;
  return (task) => {
    for (let i = 0; i < task.norms.length; i++) surfaceSignature(task.norms[i], task.lemmas[i], task.out, i * SIG_FIELDS, wordLemma);
    return task.norms.length;
  };
});
