/** The stages of a build, in order: each reads only what the stages before it wrote. */
import type { StageDefinition } from './stage.js';
import { lexiconStage } from './stages/lexicon.js';
import { termsStage } from './stages/terms.js';
import { knowledgeStage } from './stages/knowledge.js';
import { lemmasStage } from './stages/lemmas.js';
import { embedStage } from './stages/embed.js';
import { candidatesStage } from './stages/candidates.js';
import { evidenceStage } from './stages/evidence.js';
import { relationsStage } from './stages/relations.js';
import { clusterStage } from './stages/cluster.js';
import { STAGES } from './options.js';

export const STAGE_TABLE: readonly StageDefinition[] = [lexiconStage, termsStage, knowledgeStage, lemmasStage, embedStage, candidatesStage, evidenceStage, relationsStage, clusterStage];

// The table is the order: every stage reads only stages listed before it.
STAGE_TABLE.forEach((s, i) => {
  if (s.name !== STAGES[i]) throw new Error(`stage table out of order at ${i}: ${s.name}`);
  for (const r of s.reads) if (STAGES.indexOf(r) >= i) throw new Error(`stage ${s.name} reads ${r}, which runs after it`);
});
