/**
 * Turkish lemmatiser over nlptoolkit-morphologicalanalysis.
 *
 * The analyser reads `suffixes.txt` and `pronunciations.txt` relative to the working directory
 * (and `chdir` is not allowed in worker threads), so a subclass resolves those two files against
 * the package directory instead; every other data file is passed as an absolute path.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { packageRoot } from '../util/package.js';
import { LargeMap } from '../util/large-map.js';
import { packageDir } from './resources.js';

const require = createRequire(import.meta.url);

interface FsmParseLike {
  getWord(): { getName(): string };
  /** Inflectional groups: a derivation opens a new one. */
  size(): number;
  /** `kanun+NOUN+A3SG+P3SG+DAT`. */
  toString(): string;
}
interface FsmParseListLike {
  size(): number;
  getParseWithLongestRootWord(): FsmParseLike | undefined;
  getFsmParse(index: number): FsmParseLike;
}
interface AnalyzerLike {
  morphologicalAnalysis(surfaceForm: string): FsmParseListLike;
}
type AnalyzerCtor = new (fsmFile: string, dictionary: unknown, cacheSize: number) => AnalyzerLike;

let analyzerSingleton: AnalyzerLike | null = null;
let tableSingleton: Map<string, string> | null = null;

/** The shipped lemma table's file (see lemmaTable). */
export function lemmaTablePath(): string {
  return join(packageRoot(), 'data', 'lemmas.tsv.gz');
}

/**
 * The shipped lemma table (data/lemmas.tsv.gz, made by scripts/build-lemma-table.ts): the
 * analyser's answer for every word type of the texts synograph learns from, so that builds do
 * not wait minutes for the analyser. Missing table: everything goes to the analyser.
 */
function lemmaTable(): Map<string, string> {
  if (tableSingleton) return tableSingleton;
  const table = new Map<string, string>();
  const file = lemmaTablePath();
  if (existsSync(file)) {
    for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
      if (line.length === 0) continue;
      const tab = line.indexOf('\t');
      if (tab === -1) table.set(line, line);
      else table.set(line.slice(0, tab), line.slice(tab + 1));
    }
  }
  tableSingleton = table;
  return table;
}

function createAnalyzer(): AnalyzerLike {
  const morphDir = packageDir('nlptoolkit-morphologicalanalysis');
  const dictDir = packageDir('nlptoolkit-dictionary');
  const { FsmMorphologicalAnalyzer } = require('nlptoolkit-morphologicalanalysis/dist/MorphologicalAnalysis/FsmMorphologicalAnalyzer.js') as { FsmMorphologicalAnalyzer: AnalyzerCtor };
  const { TxtDictionary } = require('nlptoolkit-dictionary/dist/Dictionary/TxtDictionary.js') as { TxtDictionary: new (...args: unknown[]) => unknown };
  const { WordComparator } = require('nlptoolkit-dictionary/dist/Dictionary/WordComparator.js') as { WordComparator: { TURKISH: unknown } };
  const { Trie } = require('nlptoolkit-dictionary/dist/Dictionary/Trie/Trie.js') as { Trie: new () => { addWord(key: string, word: unknown): void } };
  const { Word } = require('nlptoolkit-dictionary/dist/Dictionary/Word.js') as { Word: new (name: string) => unknown };
  const { FileUtils } = require('nlptoolkit-util/dist/FileUtils.js') as { FileUtils: { readHashMap(file: string): Map<string, string> } };

  class CwdIndependentAnalyzer extends FsmMorphologicalAnalyzer {
    // Same as the library's version, but reading the file from the package directory.
    prepareSuffixTrie(): void {
      const trie = new Trie();
      for (const suffix of readFileSync(join(morphDir, 'suffixes.txt'), 'utf8').split('\n')) {
        const reversed = [...suffix].reverse().join('');
        trie.addWord(reversed, new Word(reversed));
      }
      (this as unknown as { suffixTrie: unknown }).suffixTrie = trie;
    }
    addPronunciations(fileName: string): void {
      (this as unknown as { pronunciations: unknown }).pronunciations = FileUtils.readHashMap(join(morphDir, fileName));
    }
  }

  const dictionary = new TxtDictionary(
    WordComparator.TURKISH,
    join(morphDir, 'turkish_dictionary.txt'),
    join(dictDir, 'turkish_misspellings.txt'),
    join(morphDir, 'turkish_morphological_lexicon.txt'),
  );
  return new CwdIndependentAnalyzer(join(morphDir, 'turkish_finite_state_machine.xml'), dictionary, 10_000);
}

/** A noun analysis: the root is a noun and nothing verbal or negative follows. */
const NOMINAL = /^[^+]+\+NOUN\+(?!.*(?:VERB|NEG))/u;

/** Letters the analyser knows; anything else (digits, Latin-only loans with q/w/x, other scripts) is kept as is. */
const TURKISH_WORD = /^[a-zçğıöşüâîû]+$/u;

/**
 * Lemma of one normalised word, memoised per surface form. Conservative: the analysis with the
 * longest root (the library's own choice), and the surface itself when the analyser knows nothing.
 */
export class Lemmatizer {
  // One entry per distinct word asked (a worker's share of a list's last words): past V8's Map limit on a big list.
  private readonly memo = new LargeMap<string, string>();
  private readonly table: ReadonlyMap<string, string>;

  /** `useTable: false` always asks the analyser (what the table itself is built with). */
  constructor(options: { useTable?: boolean } = {}) {
    this.table = options.useTable === false ? new Map() : lemmaTable();
  }

  private get analyzer(): AnalyzerLike {
    analyzerSingleton ??= createAnalyzer();
    return analyzerSingleton;
  }

  /** The lemma when it is already known (lemma table or memo), without running the analyser. */
  knownLemma(word: string): string | undefined {
    return this.memo.get(word) ?? this.table.get(word);
  }

  lemmatizeWord(word: string): string {
    const hit = this.knownLemma(word);
    if (hit !== undefined) return hit;
    let lemma = word;
    if (TURKISH_WORD.test(word)) {
      const parses = this.analyzer.morphologicalAnalysis(word);
      const best = parses.size() > 0 ? parses.getParseWithLongestRootWord() : undefined;
      const root = best?.getWord().getName();
      // The dictionary's roots are lowercase already; guard anyway against capitalised entries.
      if (root) lemma = root.toLocaleLowerCase('tr-TR');
    }
    this.memo.set(word, lemma);
    return lemma;
  }

  /** Whether the analyser can parse the word (the lemma table's words count as parsed). */
  isWord(word: string): boolean {
    if (this.table.has(word)) return true;
    return TURKISH_WORD.test(word) && this.parses(word).length > 0;
  }

  /**
   * Roots of the word's noun analyses that have no derivation (one inflectional group): the stem
   * the word inflects (`kanununa`, `kanunları` -> kanun), never a derived word's root
   * (`yetkisizlik` -> none of yetki, yetkisiz), nor a verb's (`versin` / `vermesin` differ in
   * polarity, which Turkish marks by inflection). Empty when the analyser knows no such analysis.
   */
  inflectionStems(word: string): string[] {
    const stems = new Set<string>();
    for (const p of this.parses(word)) {
      if (p.size() !== 1 || !NOMINAL.test(p.toString())) continue;
      stems.add(p.getWord().getName().toLocaleLowerCase('tr-TR'));
    }
    return [...stems];
  }

  /** Some analysis ends in a noun (`kuruluşu`, `birliği`), or none exists (a name the analyser does not know). */
  nounLike(word: string): boolean {
    const parses = this.parses(word);
    if (parses.length === 0) return true;
    return parses.some((p) => {
      const text = p.toString();
      const last = text.lastIndexOf('^DB+');
      return last === -1 ? /^[^+]+\+NOUN\b/u.test(text) : text.startsWith('NOUN', last + 4);
    });
  }

  private readonly parseMemo = new Map<string, FsmParseLike[]>();

  private parses(word: string): FsmParseLike[] {
    let list = this.parseMemo.get(word);
    if (list === undefined) {
      list = [];
      if (TURKISH_WORD.test(word)) {
        const parses = this.analyzer.morphologicalAnalysis(word);
        for (let i = 0; i < parses.size(); i++) list.push(parses.getFsmParse(i));
      }
      this.parseMemo.set(word, list);
    }
    return list;
  }

  /**
   * Lemma of a normalised term. Turkish inflects the head, which comes last, so a multiword term
   * keeps its modifiers and lemmatises its final word (`kırmızı kitaplar` -> `kırmızı kitap`).
   */
  lemmatize(term: string): string {
    return withHeadLemma(term, this.lemmatizeWord(headWord(term)));
  }

  get cacheSize(): number {
    return this.memo.size;
  }
}

/** The word of a normalised term that Turkish inflects: its last (`kırmızı kitaplar` -> `kitaplar`). */
export function headWord(term: string): string {
  return term.slice(term.lastIndexOf(' ') + 1);
}

/** The term with its head word (headWord) replaced by `lemma`. */
export function withHeadLemma(term: string, lemma: string): string {
  const space = term.lastIndexOf(' ');
  return space === -1 ? lemma : term.slice(0, space + 1) + lemma;
}
