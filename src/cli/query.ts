/** `synograph query TERM`: a term's cluster, senses, antonyms and edge provenance, from any surface form. */
import { openService, type Member, type TermAnswer } from '../serve/index.js';
import { integerOption, printJson, UsageError } from './args.js';
import { parseCommand } from './options.js';

export const DEFAULT_DB = 'data/synograph.db';

const f2 = (x: number | null) => (x === null ? '-' : x.toFixed(2));

/** `kara` marked as there through its sense 5, in a cluster that is not its primary one. */
const memberName = (m: Member): string => (m.primary ? m.term : `${m.term} [${m.sense === null ? 'other sense' : `sense ${m.sense}`}]`);
const senseName = (sense: number | null): string => (sense === null ? '' : `sense ${sense}, `);

function printAnswer(a: TermAnswer): void {
  const out: string[] = [`${a.matched.norm}  (matched "${a.term}" ${a.matched.via})`];
  if (a.cluster) {
    const c = a.cluster;
    out.push(`cluster #${c.id} (${c.algorithm}${a.primarySense === null ? '' : `, its primary sense ${a.primarySense}`}): representative ${c.representative ?? '-'}, ${c.size} members, P(synonym) min ${f2(c.minPSynonym)} mean ${f2(c.meanPSynonym)}`);
    for (const m of c.members) out.push(`  ${memberName(m)}  ${f2(m.support)}`);
    if (c.truncated) out.push(`  ... ${c.size - c.members.length} more (--limit)`);
  } else out.push('not in any cluster');
  if (a.alternativeSenses.length > 0) {
    out.push('other senses:');
    for (const s of a.alternativeSenses) out.push(`  #${s.clusterId} ${s.representative ?? '-'} (${senseName(s.sense)}support ${f2(s.support)}): ${s.members.map(memberName).join(', ')}`);
  }
  if (a.antonyms.length > 0) out.push(`antonyms: ${a.antonyms.map((x) => `${x.term} (${x.pAntonym === null ? '' : `P ${f2(x.pAntonym)}, `}${x.cannotLink ? 'cannot-link, ' : ''}${x.origin})`).join(', ')}`);
  if (a.edges.length > 0) {
    out.push('edges (P synonym / antonym / co-hyponym):');
    for (const e of a.edges) out.push(`  ${e.term}  ${e.label}  ${e.gated ? 'kept' : 'gated out'}  ${f2(e.pSynonym)} / ${f2(e.pAntonym)} / ${f2(e.pCohyponym)}  ${e.origin}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

export async function queryCommand(argv: string[]): Promise<number> {
  const { values, flags, positionals } = parseCommand('query', argv);
  if (positionals.length !== 1) throw new UsageError('query needs exactly one TERM (quote a multiword term)');
  const limit = integerOption(values.limit, 'limit', 50, 1);
  const service = openService(values.db ?? DEFAULT_DB, { algorithm: values.algorithm });
  try {
    const term = positionals[0];
    const answer = service.query.term(term, { limit });
    if (!answer) {
      if (flags.json) printJson({ term, found: false });
      else process.stderr.write(`synograph query: no stored term matches "${term}" (tried its normalised, circumflex-folded and lemmatised forms)\n`);
      return 1;
    }
    if (flags.json) printJson(answer);
    else printAnswer(answer);
    return 0;
  } finally {
    service.close();
  }
}
