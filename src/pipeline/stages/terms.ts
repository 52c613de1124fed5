/** The terms stage: the user's list (or the lexicon's vocabulary as a plain list) into the store. */
import { detectFormat, kenetTermRecords, readTermBatches, WarningLog } from '../../lexicon/index.js';
import { InputError } from '../../errors.js';
import { countTerms, ingestTerms } from '../../store/index.js';
import type { StageDefinition } from '../stage.js';

export const termsStage: StageDefinition = {
  name: 'terms',
  reads: [],
  // The file's content and how it is read, not where it lies: a list edited in place reaches the
  // next build, and a list moved or copied elsewhere (or KeNet in another checkout) keeps the
  // finished stages (a moved 1M-line list used to redo the whole build).
  fingerprint: ({ options, stamp }) => [options.terms ? 'list' : 'kenet', stamp(options.terms ?? options.kenet), options.format ?? (options.terms ? detectFormat(options.terms) : null)],
  run: async ({ db, options, kenet, progress }) => {
    const warnings = new WarningLog();
    const file = options.terms;
    const bar = progress('terms', null);
    // The default vocabulary is KeNet's literals as a plain term list (nothing else about them).
    const records = file ? readTermBatches(file, { warnings, format: options.format }) : kenetTermRecords(kenet.synsets);
    const r = await ingestTerms(db, records, { name: file ?? 'KeNet vocabulary', path: file ?? options.kenet, kind: file ? 'terms' : 'kenet', warnings, onProgress: (n) => bar.update(n), progressEvery: 10_000 });
    bar.finish(r.records);
    // Nothing to embed or cluster: say so now, not after the embedder has trained for a minute.
    if (countTerms(db) === 0) {
      const skipped = Object.entries(warnings.counts).map(([kind, n]) => `${n} ${kind}`).join(', ');
      throw new InputError(file ?? options.kenet, null, `no terms to build from (${skipped ? `every line skipped: ${skipped}` : 'the file holds none'})`);
    }
    return { records: r.records, inserted: r.inserted, duplicates: r.duplicates, warnings: warnings.counts, warningExamples: warnings.format().slice(0, 10) };
  },
};
