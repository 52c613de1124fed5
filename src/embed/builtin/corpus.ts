/**
 * The text the builtin embedder learns from, filtered by the build's mode.
 *
 * Two kinds of documents: running text (news sentences, and definitions and examples read as
 * sentences) and glosses (an entry's literals paired with its definition). In a held-out build no
 * document comes from a synset, in KeNet or in a dated dictionary edition, that holds a held-out
 * word: its definition, examples and membership are gone. Running text that merely mentions a
 * held-out word as a token stays (docs/evaluation.md, leakage).
 */
import { readFileSync } from 'node:fs';
import type { KenetSynset } from '../../lexicon/kenet.js';
import { loadKenet } from '../../lexicon/kenet.js';
import { corpusPath, dictionaryEditionPath, DICTIONARY_EDITIONS } from '../../lexicon/resources.js';
import { isHeldOut, type SplitConfig } from '../../split.js';
import type { BuildMode } from '../../types.js';
import { tokenize } from './tokenize.js';

export interface TrainingDocument {
  /** Literals the text defines (glosses only); empty for running text. */
  heads: string[];
  tokens: string[];
}

export interface CorpusOptions {
  mode: BuildMode;
  split: SplitConfig;
  /** KeNet synsets (all of them; filtered here by mode). */
  kenet: readonly KenetSynset[];
  /** Include the ten dated dictionary editions (slower to read, much more text). */
  editions?: boolean;
  /** Include nlptoolkit-corpus news sentences. */
  news?: boolean;
}

export interface CorpusStats {
  documents: number;
  glosses: number;
  tokens: number;
  excludedSynsets: number;
}

function visible(s: KenetSynset, options: CorpusOptions): boolean {
  return options.mode === 'full' || !s.literals.some((l) => isHeldOut(l.norm, options.split));
}

function* synsetDocuments(synsets: readonly KenetSynset[], options: CorpusOptions, stats: CorpusStats): Generator<TrainingDocument> {
  for (const s of synsets) {
    if (!visible(s, options)) {
      stats.excludedSynsets++;
      continue;
    }
    const heads = [...new Set(s.literals.map((l) => l.norm))];
    if (s.definition) {
      const tokens = tokenize(s.definition);
      if (tokens.length > 0) {
        stats.glosses++;
        yield { heads, tokens };
      }
    }
    for (const ex of s.examples) {
      const tokens = tokenize(ex);
      if (tokens.length > 0) yield { heads: [], tokens };
    }
  }
}

/** Every training document, in a fixed order (determinism). */
export async function trainingDocuments(options: CorpusOptions): Promise<{ documents: TrainingDocument[]; stats: CorpusStats }> {
  const stats: CorpusStats = { documents: 0, glosses: 0, tokens: 0, excludedSynsets: 0 };
  const documents: TrainingDocument[] = [];
  const push = (d: TrainingDocument): void => {
    documents.push(d);
    stats.tokens += d.tokens.length;
  };
  for (const d of synsetDocuments(options.kenet, options, stats)) push(d);
  if (options.editions ?? true) {
    for (const year of DICTIONARY_EDITIONS) {
      const { synsets } = await loadKenet(dictionaryEditionPath(year));
      for (const d of synsetDocuments(synsets, options, stats)) push(d);
    }
  }
  if (options.news ?? true) {
    for (const line of readFileSync(corpusPath(), 'utf8').split('\n')) {
      const tokens = tokenize(line);
      if (tokens.length > 0) push({ heads: [], tokens });
    }
  }
  stats.documents = documents.length;
  return { documents, stats };
}
