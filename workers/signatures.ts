/** Helper thread of SignatureHelper: signs each batch of terms into the batch's shared array, then counts its rows. */
import { parentPort, workerData } from 'node:worker_threads';
import type { SignatureTask, SignatureWorkerData } from '../src/relations/signature-helper.js';

const { progress, lemmatize } = workerData as SignatureWorkerData;

/** Tells the filler this worker signs no more: it signs what is left itself. */
function failed(): void {
  Atomics.store(progress, 1, 1);
  Atomics.notify(progress, 0);
}

try {
  const { surfaceSignature, SIG_FIELDS } = await import('../src/relations/morphology.js');
  const { Lemmatizer } = await import('../src/lexicon/lemmatize.js');
  const lemmatizer = lemmatize ? new Lemmatizer() : null;
  const wordLemma = lemmatizer ? (w: string): string | undefined => lemmatizer.knownLemma(w) : undefined;
  parentPort?.on('message', (task: SignatureTask) => {
    try {
      for (let i = 0; i < task.norms.length; i++) surfaceSignature(task.norms[i], task.lemmas[i], task.out, i * SIG_FIELDS, wordLemma);
      Atomics.add(progress, 0, task.norms.length);
      Atomics.notify(progress, 0);
    } catch {
      failed();
    }
  });
} catch {
  failed();
}
