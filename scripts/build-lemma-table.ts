/**
 * Reproduces data/lemmas.tsv.gz: the morphological analyser's lemma for every word type of the
 * texts synograph learns from (KeNet and the dated dictionary editions: literals, definitions,
 * examples; the news corpus). The analyser manages a few hundred words a second per thread on
 * inflected forms, so builds look lemmas up here and ask the analyser only for the rest.
 * One line a type: `surface<TAB>lemma`, or `surface` alone when the lemma is the surface itself.
 *
 * Usage: npm run build && node dist/scripts/build-lemma-table.js [--out data/lemmas.tsv.gz]
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { loadKenet, kenetPath } from '../src/lexicon/index.js';
import { lemmatizeMany } from '../src/lexicon/lemmatize-pool.js';
import { trainingDocuments } from '../src/embed/builtin/corpus.js';
import { tokenize } from '../src/embed/builtin/tokenize.js';
import { DEFAULT_SPLIT } from '../src/eval/split.js';
import { DICTIONARY_EDITIONS, dictionaryEditionPath } from '../src/lexicon/resources.js';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = values.out ?? 'data/lemmas.tsv.gz';
const { synsets } = await loadKenet(kenetPath());
const { documents } = await trainingDocuments({ mode: 'full', split: DEFAULT_SPLIT, kenet: synsets });
const types = new Set<string>();
for (const d of documents) for (const w of d.tokens) types.add(w);
const addLiterals = (ss: typeof synsets): void => {
  for (const s of ss) for (const l of s.literals) for (const w of tokenize(l.norm)) types.add(w);
};
addLiterals(synsets);
for (const year of DICTIONARY_EDITIONS) addLiterals((await loadKenet(dictionaryEditionPath(year))).synsets);
const list = [...types].sort();
const started = performance.now();
const lemmas = await lemmatizeMany(list, { useTable: false });
const rows: string[] = [];
list.forEach((w, i) => rows.push(lemmas[i] === w ? w : `${w}\t${lemmas[i]}`));
writeFileSync(out, gzipSync(rows.join('\n') + '\n', { level: 9 }));
process.stdout.write(JSON.stringify({ types: list.length, stored: rows.length, seconds: (performance.now() - started) / 1000, out }) + '\n');
