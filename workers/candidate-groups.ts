/** Helper thread of the training plan's pass over the candidate pairs (src/relations/candidate-groups.ts). */
import type { GroupTask, GroupWorkerData } from '../src/relations/candidate-groups.js';
import { serveTasks } from '../src/util/task-helper.js';

serveTasks<GroupWorkerData, GroupTask>(async (data) => (await import('../src/relations/candidate-groups.js')).groupTaskHandler(data));
