/**
 * Streaming reader for KeNet-format WordNet XML (`<SYNSETS><SYNSET>...`), built on sax.
 * The same format serves the dated dictionary editions shipped beside KeNet.
 */
import { createReadStream } from 'node:fs';
import sax from 'sax';
import { InputError } from './diagnostics.js';
import { assertReadableFile } from './lines.js';
import { normalizeTerm } from './normalize.js';
import type { TermRecord } from './termlist.js';

export interface KenetLiteral {
  /** Normalised form (the term's identity). */
  norm: string;
  /** As written in the file. */
  original: string;
  sense: number | null;
}

export interface KenetRelation {
  /** KeNet relation type, e.g. `HYPERNYM`, `ANTONYM`, `DERIVATION_RELATED`. */
  type: string;
  target: string;
}

export interface KenetSynset {
  id: string;
  pos: string | null;
  literals: KenetLiteral[];
  definition: string | null;
  examples: string[];
  relations: KenetRelation[];
}

export interface KenetReadStats {
  synsets: number;
  literals: number;
  placeholderLiterals: number;
}

/** Literals such as `(özel isim)` name a category, not a word. */
export function isPlaceholderLiteral(text: string): boolean {
  const t = text.trim();
  return t.length === 0 || (t.startsWith('(') && t.endsWith(')'));
}

interface Draft {
  id: string;
  pos: string | null;
  literals: KenetLiteral[];
  definition: string | null;
  examples: string[];
  relations: KenetRelation[];
  literalText: string;
  literalSense: string;
  srTarget: string;
  srType: string;
}

/**
 * Yields every synset in file order. Malformed XML or invalid UTF-8 throws an InputError
 * with the line where the parser stopped.
 */
export async function* readKenet(file: string, stats?: KenetReadStats): AsyncGenerator<KenetSynset> {
  await assertReadableFile(file);
  const parser = sax.parser(true, { trim: false, normalize: false, position: true });
  const ready: KenetSynset[] = [];
  const path: string[] = [];
  let draft: Draft | null = null;
  let text = '';
  let failure: InputError | null = null;

  parser.onerror = (err) => {
    failure ??= new InputError(file, parser.line + 1, `malformed XML: ${err.message.split('\n')[0]}`);
  };
  parser.onopentag = (tag) => {
    path.push(tag.name);
    text = '';
    if (tag.name === 'SYNSET') {
      draft = { id: '', pos: null, literals: [], definition: null, examples: [], relations: [], literalText: '', literalSense: '', srTarget: '', srType: '' };
    } else if (draft && tag.name === 'LITERAL') {
      draft.literalText = '';
      draft.literalSense = '';
    } else if (draft && tag.name === 'SR') {
      draft.srTarget = '';
      draft.srType = '';
    }
  };
  parser.ontext = (t) => {
    text += t;
    // Text directly inside LITERAL / SR (before their child tags) is the literal / the target.
    const top = path[path.length - 1];
    if (draft && top === 'LITERAL') draft.literalText += t;
    else if (draft && top === 'SR') draft.srTarget += t;
  };
  parser.oncdata = parser.ontext;
  parser.onclosetag = (name) => {
    path.pop();
    const parent = path[path.length - 1];
    const d = draft;
    if (d) {
      switch (name) {
        case 'ID':
          if (parent === 'SYNSET') d.id = text.trim();
          break;
        case 'POS':
          if (parent === 'SYNSET') d.pos = text.trim() || null;
          break;
        case 'DEF':
          if (parent === 'SYNSET') d.definition = text.trim() || null;
          break;
        case 'EXAMPLE':
          if (parent === 'SYNSET') for (const ex of text.split('|')) if (ex.trim()) d.examples.push(ex.trim());
          break;
        case 'SENSE':
          if (parent === 'LITERAL') d.literalSense = text.trim();
          break;
        case 'TYPE':
          if (parent === 'SR') d.srType = text.trim();
          break;
        case 'LITERAL': {
          const original = d.literalText.trim();
          if (isPlaceholderLiteral(original)) {
            if (stats) stats.placeholderLiterals++;
          } else {
            const sense = Number.parseInt(d.literalSense, 10);
            d.literals.push({ norm: normalizeTerm(original), original, sense: Number.isFinite(sense) ? sense : null });
            if (stats) stats.literals++;
          }
          break;
        }
        case 'SR':
          if (parent === 'SYNSET' && d.srType && d.srTarget.trim()) d.relations.push({ type: d.srType, target: d.srTarget.trim() });
          break;
        case 'SYNSET':
          if (d.id) {
            ready.push({ id: d.id, pos: d.pos, literals: d.literals, definition: d.definition, examples: d.examples, relations: d.relations });
            if (stats) stats.synsets++;
          }
          draft = null;
          break;
      }
    }
    text = '';
  };

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let decoded: string;
      try {
        decoded = decoder.decode(chunk, { stream: true });
      } catch {
        throw new InputError(file, parser.line + 1, 'invalid UTF-8');
      }
      parser.write(decoded);
      if (failure) throw failure;
      yield* ready.splice(0, ready.length);
    }
    parser.close();
    if (failure) throw failure;
    if (path.length > 0) throw new InputError(file, parser.line + 1, `malformed XML: unclosed <${path[path.length - 1]}>`);
    yield* ready.splice(0, ready.length);
  } finally {
    stream.destroy();
  }
}

/** Reads a whole KeNet file into memory (78k synsets: small enough, and gold needs random access). */
export async function loadKenet(file: string): Promise<{ synsets: KenetSynset[]; stats: KenetReadStats }> {
  const stats: KenetReadStats = { synsets: 0, literals: 0, placeholderLiterals: 0 };
  const synsets: KenetSynset[] = [];
  for await (const s of readKenet(file, stats)) synsets.push(s);
  return { synsets, stats };
}

/**
 * The resource's vocabulary as a plain term list (first spelling of each normalised literal),
 * in one batch: what a held-out build clusters, knowing nothing else about the words. Terms are
 * listed in normalised-form order and numbered by that order: a line number taken from the
 * synset a word first appears in would group the words of one synset (2,305 groups of held-out
 * test words shared one at a1e1b51), which is exactly what a held-out build must not know.
 */
export async function* kenetTermRecords(synsets: readonly KenetSynset[]): AsyncGenerator<TermRecord[]> {
  const first = new Map<string, string>();
  for (const s of synsets) for (const lit of s.literals) if (!first.has(lit.norm)) first.set(lit.norm, lit.original);
  const norms = [...first.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  yield norms.map((norm, i) => ({ term: first.get(norm) as string, line: i + 1 }));
}
