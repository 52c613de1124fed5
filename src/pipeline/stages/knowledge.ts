/**
 * The knowledge stage: the labelled pairs the pipeline may learn from: those the lexicon's visible
 * synsets give (in a held-out build, none touching a held-out word), plus the user's own pairs
 * (in a held-out build, none that touches a held-out word: dropped and counted); and the
 * independent knowledge (issue 11): bilingual dictionaries and WordNet antonymy, shipped in
 * data/dictionaries, plus the user's own dictionaries. Those are not KeNet, so a held-out build
 * reads them for every word (docs/evaluation.md, "Independent resources"); only the rows of the
 * build's words are kept, each with its source, headword and sense.
 */
import { basename } from 'node:path';
import { buildGold, DEFAULT_COHYPONYM_CAP } from '../../lexicon/labelled-pairs.js';
import { DEFAULT_KNOWLEDGE_SOURCES, languageOf, readOpposites, readTranslations, shippedKnowledgeFiles, type Translation } from '../../lexicon/dictionaries.js';
import { foldCircumflex } from '../../lexicon/normalize.js';
import { readLabelledPairs } from '../../relations/pairs-file.js';
import { isHeldOut } from '../../split.js';
import { addPairsSource, clearGoldRelations, doneStats, inTransaction, readKnowledgeVocabulary, storeGoldRelations, writeKnowledge, type Db } from '../../store/index.js';
import { LargeMap } from '../../util/large-map.js';
import type { BuildOptions } from '../options.js';
import type { StageDefinition } from '../stage.js';

/** Bumped when the same files would be read into other rows. */
const KNOWLEDGE_STAGE_VERSION = 2;

/** The knowledge a build uses: its saved choice, else the defaults. */
export function knowledgeOptions(options: BuildOptions): { sources: readonly string[]; dictionaries: readonly string[] } {
  return options.knowledge ?? { sources: DEFAULT_KNOWLEDGE_SOURCES, dictionaries: [] };
}

/**
 * What shapes the translations stored for the build's terms: the sources and files read (by
 * content), and the terms. The candidates stage reads only these, so a new `--pairs` file does not
 * redo its search.
 */
export function translationsFingerprint(options: BuildOptions, upstream: (stage: 'terms') => string | null, stamp: (file: string) => string): unknown[] {
  const knowledge = knowledgeOptions(options);
  const shipped = shippedKnowledgeFiles();
  return [KNOWLEDGE_STAGE_VERSION, knowledge.sources, stamp(shipped.translations), stamp(shipped.opposites), knowledge.dictionaries.map((f) => stamp(f)), upstream('terms')];
}

export const knowledgeStage: StageDefinition = {
  name: 'knowledge',
  reads: ['lexicon', 'terms'],
  fingerprint: ({ options, upstream, stamp }) => {
    const pairs = options.relations.pairs;
    return [stamp(options.kenet), options.mode, options.split, pairs ? stamp(pairs) : null, ...translationsFingerprint(options, upstream, stamp)];
  },
  run: async ({ db, options, kenet }) => {
    const knowledge = buildGold(kenet.visible, { split: options.split, cohyponymCap: DEFAULT_COHYPONYM_CAP });
    const lexiconSource = doneStats(db, 'lexicon')?.sourceId;
    if (typeof lexiconSource !== 'number') throw new Error('the knowledge stage needs the lexicon stage');
    clearGoldRelations(db);
    const stored = storeGoldRelations(db, lexiconSource, knowledge.pairs);
    const byLabel: Record<string, number> = {};
    for (const p of knowledge.pairs) byLabel[p.label] = (byLabel[p.label] ?? 0) + 1;
    let user: object | null = null;
    const pairsFile = options.relations.pairs;
    if (pairsFile) {
      const all = await readLabelledPairs(pairsFile);
      const usable = options.mode === 'holdout' ? all.filter((p) => !isHeldOut(p.a, options.split) && !isHeldOut(p.b, options.split)) : all;
      const source = addPairsSource(db, 'labelled pairs', pairsFile, all.length);
      const inserted = storeGoldRelations(db, source, usable.map((p) => ({ a: p.a, b: p.b, label: p.label, split: 'train' as const })));
      user = { file: pairsFile, pairs: all.length, droppedHeldOut: all.length - usable.length, stored: inserted };
    }
    return { pairs: stored, byLabel, user, independent: await storeIndependentKnowledge(db, options) };
  },
};

/** Reads the shipped and the user's dictionaries, keeps the rows of the build's words and stores them. */
async function storeIndependentKnowledge(db: Db, options: BuildOptions): Promise<object> {
  const { sources, dictionaries } = knowledgeOptions(options);
  const use = new Set(sources);
  const vocabulary = readKnowledgeVocabulary(db);
  const shipped = shippedKnowledgeFiles();
  const rows: Translation[] = [];
  const bySource: Record<string, number> = {};
  // A dictionary's spelling with or without a circumflex (`imkansız`, `kâr etmek`) finds the
  // build's words of the other spelling when it has none of its own.
  const byFolded = new LargeMap<string, string[]>();
  for (const w of vocabulary) {
    const f = foldCircumflex(w);
    const list = byFolded.get(f);
    if (list) list.push(w);
    else byFolded.set(f, [w]);
  }
  const keep = (t: Translation): void => {
    const words = vocabulary.has(t.term) ? [t.term] : (byFolded.get(foldCircumflex(t.term)) ?? []);
    for (const term of words) {
      rows.push(term === t.term ? t : { ...t, term });
      bySource[t.source] = (bySource[t.source] ?? 0) + 1;
    }
  };
  const languages = [...use].filter((s) => s !== 'wordnet' && s !== 'user');
  if (languages.length > 0) for (const t of readTranslations(shipped.translations)) if (use.has(languageOf(t.source))) keep(t);
  // A user's file counts under its own name (language `user`) whatever its source column says.
  for (const file of dictionaries) for (const t of readTranslations(file, basename(file))) keep({ ...t, source: `user:${t.source}` });
  const english = new Set(rows.filter((t) => languageOf(t.source) === 'eng').map((t) => t.headword));
  const opposites = use.has('wordnet') ? readOpposites(shipped.opposites).filter((o) => english.has(o.a) && english.has(o.b)).map((o) => ({ ...o, source: 'wordnet' })) : [];
  const written = await inTransaction(db, async () => writeKnowledge(db, rows, opposites));
  const termsTranslated = new Set(rows.map((r) => r.term)).size;
  return { sources: [...use], dictionaries, translations: written.translations, bySource, termsTranslated, opposites: written.opposites };
}
