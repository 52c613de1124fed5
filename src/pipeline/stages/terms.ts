/** The terms stage: the user's list (or the lexicon's vocabulary as a plain list) into the store. */
import { kenetTermRecords, readTermBatches, WarningLog } from '../../lexicon/index.js';
import { ingestTerms } from '../../store/index.js';
import type { StageDefinition } from '../stage.js';

export const termsStage: StageDefinition = {
  name: 'terms',
  reads: [],
  fingerprint: ({ options }) => [options.terms ?? options.kenet],
  run: async ({ db, options, kenet, progress }) => {
    const warnings = new WarningLog();
    const file = options.terms;
    const bar = progress('terms', null);
    // The default vocabulary is KeNet's literals as a plain term list (nothing else about them).
    const records = file ? readTermBatches(file, { warnings, format: options.format }) : kenetTermRecords(kenet.synsets);
    const r = await ingestTerms(db, records, { name: file ?? 'KeNet vocabulary', path: file ?? options.kenet, kind: file ? 'terms' : 'kenet', warnings, onProgress: (n) => bar.update(n), progressEvery: 10_000 });
    bar.finish(r.records);
    return { records: r.records, inserted: r.inserted, duplicates: r.duplicates, warnings: warnings.counts, warningExamples: warnings.format().slice(0, 10) };
  },
};
