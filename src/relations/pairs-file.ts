/**
 * A user's labelled pairs (the paper's training-data shape, or a user's own thesaurus): TSV
 * `term`, `related`, `label` with labels synonym | antonym | co-hyponym. A header line is
 * optional. Labelled pairs both train the discriminator and act as seeds: synonyms enter the
 * graph as confident edges, antonyms as cannot-links.
 *
 * A wrong label or a line without three fields is an error naming the file and line (a typo in a
 * label silently dropping knowledge would be worse than stopping); blank lines and `#` comments
 * are skipped; invalid UTF-8 and over-long lines are counted warnings, as everywhere.
 */
import { assertReadableFile, readLineBatches } from '../lexicon/lines.js';
import { InputError, WarningLog } from '../lexicon/diagnostics.js';
import { normalizeTerm } from '../lexicon/normalize.js';
import { MAX_TERM_LENGTH } from '../lexicon/termlist.js';
import { RELATION_LABELS, type RelationLabel } from '../types.js';

export interface UserPair {
  a: string;
  b: string;
  label: RelationLabel;
  line: number;
}

const ALIASES: Record<string, RelationLabel> = { cohyponym: 'co-hyponym', co_hyponym: 'co-hyponym' };

function parseLabel(raw: string): RelationLabel | null {
  const s = raw.trim().toLowerCase();
  if ((RELATION_LABELS as readonly string[]).includes(s)) return s as RelationLabel;
  return ALIASES[s] ?? null;
}

/** Reads the whole file (labelled pair files are small next to term lists). */
export async function readLabelledPairs(file: string, warnings = new WarningLog()): Promise<UserPair[]> {
  await assertReadableFile(file);
  const pairs: UserPair[] = [];
  let first = true;
  for await (const batch of readLineBatches(file, { warnings })) {
    for (const { lineNo, text } of batch) {
      const line = text.endsWith('\r') ? text.slice(0, -1) : text;
      if (line.trim() === '' || line.startsWith('#')) continue;
      const fields = line.split('\t');
      const isHeader = first && fields.length >= 3 && fields[0].trim().toLowerCase() === 'term' && fields[2].trim().toLowerCase() === 'label';
      first = false;
      if (isHeader) continue;
      if (fields.length !== 3) throw new InputError(file, lineNo, `expected 3 tab-separated fields (term, related, label), found ${fields.length}`);
      const label = parseLabel(fields[2]);
      if (!label) throw new InputError(file, lineNo, `unknown label "${fields[2].trim()}" (expected synonym, antonym or co-hyponym)`);
      const a = normalizeTerm(fields[0]);
      const b = normalizeTerm(fields[1]);
      if (a === '' || b === '') throw new InputError(file, lineNo, 'empty term');
      if (a.length > MAX_TERM_LENGTH || b.length > MAX_TERM_LENGTH) throw new InputError(file, lineNo, `term longer than ${MAX_TERM_LENGTH} characters`);
      if (a === b) throw new InputError(file, lineNo, `a term cannot be related to itself ("${a}")`);
      pairs.push({ a, b, label, line: lineNo });
    }
  }
  return pairs;
}
