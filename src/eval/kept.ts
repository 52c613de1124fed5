/**
 * What a database keeps of what it was told (docs/evaluation.md, "Senses"): how many of the
 * lexicon's synonym pairs share a cluster through any sense and share a primary cluster, and how
 * many polysemous words have their first sense's cluster as their primary one. These are not
 * accuracy figures (the build was told these pairs); they say whether the product keeps them.
 */
import type { KenetSynset } from '../lexicon/kenet.js';
import type { Cluster } from '../types.js';

export interface KeptShare {
  pairs: number;
  kept: number;
  share: number;
}

export interface KeptKnowledge {
  /** Synonym pairs (two literals of one synset, both terms of the build). */
  synonymPairs: number;
  /** Pairs whose two words share a cluster through any sense. */
  anyCluster: KeptShare;
  /** Pairs whose two words have the same primary cluster. */
  primaryCluster: KeptShare;
  /**
   * Pairs whose synset is the first sense of both words: the pairs a primary cluster can hold
   * without mixing a word's senses (the rest are synonyms only through a later sense of a word).
   */
  primaryReachable: KeptShare;
  /** Pairs with a word of three or more senses, sharing any cluster. */
  threeSensesAnyCluster: KeptShare;
  /** Polysemous words whose first sense has co-members: whose primary cluster holds one of them. */
  firstSenseAsPrimary: KeptShare;
  /** Antonym pairs (literals of two synsets joined by ANTONYM, not also synonyms) sharing any cluster. */
  antonymsSharingACluster: KeptShare;
}

function share(kept: number, pairs: number): KeptShare {
  return { pairs, kept, share: pairs === 0 ? 0 : kept / pairs };
}

/** The sense a word has in a synset, or null; and a word's synsets by sense number. */
function senseIndex(synsets: readonly KenetSynset[], isTerm: (w: string) => boolean): Map<string, { id: string; sense: number }[]> {
  const senses = new Map<string, { id: string; sense: number }[]>();
  for (const s of synsets) {
    const seen = new Set<string>();
    for (const l of s.literals) {
      if (seen.has(l.norm) || !isTerm(l.norm)) continue;
      seen.add(l.norm);
      let list = senses.get(l.norm);
      if (!list) senses.set(l.norm, (list = []));
      list.push({ id: s.id, sense: l.sense ?? Number.MAX_SAFE_INTEGER });
    }
  }
  for (const list of senses.values()) list.sort((x, y) => x.sense - y.sense || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return senses;
}

/**
 * `synsets`: what the build was told (all of KeNet for a full build, the visible synsets for a
 * held-out one); `primary` and `any`: the stored clustering at word and sense level.
 */
export function keptKnowledge(synsets: readonly KenetSynset[], terms: ReadonlySet<string>, primary: readonly Cluster[], any: readonly Cluster[]): KeptKnowledge {
  const primaryOf = new Map<string, string>();
  for (const c of primary) for (const w of c.members) primaryOf.set(w, c.id);
  const clustersOf = new Map<string, Set<string>>();
  for (const c of any) {
    for (const w of c.members) {
      let set = clustersOf.get(w);
      if (!set) clustersOf.set(w, (set = new Set()));
      set.add(c.id);
    }
  }
  const sharesAny = (a: string, b: string): boolean => {
    const ca = clustersOf.get(a);
    const cb = clustersOf.get(b);
    if (!ca || !cb) return false;
    for (const c of ca) if (cb.has(c)) return true;
    return false;
  };
  const samePrimary = (a: string, b: string): boolean => primaryOf.has(a) && primaryOf.get(a) === primaryOf.get(b);
  const senses = senseIndex(synsets, (w) => terms.has(w));
  const firstSense = (w: string): string | undefined => senses.get(w)?.[0]?.id;

  const byId = new Map(synsets.map((s) => [s.id, s]));
  const membersOf = (id: string): string[] => [...new Set((byId.get(id)?.literals ?? []).map((l) => l.norm))].filter((w) => terms.has(w));
  const seen = new Set<string>();
  let pairs = 0;
  let any_ = 0;
  let prim = 0;
  let reachable = 0;
  let reachableKept = 0;
  let three = 0;
  let threeKept = 0;
  for (const s of synsets) {
    const members = membersOf(s.id);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const [a, b] = members[i] < members[j] ? [members[i], members[j]] : [members[j], members[i]];
        const key = `${a}\u0000${b}`;
        if (seen.has(key)) continue;
        seen.add(key);
        pairs++;
        const together = sharesAny(a, b);
        if (together) any_++;
        const same = samePrimary(a, b);
        if (same) prim++;
        if (firstSense(a) === s.id && firstSense(b) === s.id) {
          reachable++;
          if (same) reachableKept++;
        }
        if ((senses.get(a)?.length ?? 0) >= 3 || (senses.get(b)?.length ?? 0) >= 3) {
          three++;
          if (together) threeKept++;
        }
      }
    }
  }

  let polysemous = 0;
  let firstKept = 0;
  for (const [w, list] of senses) {
    if (list.length < 2) continue;
    const coMembers = membersOf(list[0].id).filter((m) => m !== w);
    if (coMembers.length === 0) continue;
    polysemous++;
    if (coMembers.some((m) => samePrimary(w, m) || (primaryOf.has(w) && clustersOf.get(m)?.has(primaryOf.get(w) as string)))) firstKept++;
  }

  const antonymKeys = new Set<string>();
  let antonymsTogether = 0;
  for (const s of synsets) {
    for (const r of s.relations) {
      if (r.type !== 'ANTONYM' || !byId.has(r.target)) continue;
      for (const x of membersOf(s.id)) {
        for (const y of membersOf(r.target)) {
          if (x === y) continue;
          const key = x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`;
          // A pair KeNet also puts in one synset is a synonym pair (the gold's precedence), as in the build's seeds.
          if (antonymKeys.has(key) || seen.has(key)) continue;
          antonymKeys.add(key);
          if (sharesAny(x, y)) antonymsTogether++;
        }
      }
    }
  }

  return {
    synonymPairs: pairs,
    anyCluster: share(any_, pairs),
    primaryCluster: share(prim, pairs),
    primaryReachable: share(reachableKept, reachable),
    threeSensesAnyCluster: share(threeKept, three),
    firstSenseAsPrimary: share(firstKept, polysemous),
    antonymsSharingACluster: share(antonymsTogether, antonymKeys.size),
  };
}
