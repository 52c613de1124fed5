/**
 * Input problems. A problem that makes a whole file unusable is an `InputError` (thrown);
 * a problem with one record is a counted warning (the record is skipped). Both name the
 * file and line so that the user can find and fix it.
 */

export { InputError } from '../errors.js';

export type WarningKind =
  | 'empty-line'
  | 'line-too-long'
  | 'term-too-long'
  | 'invalid-utf8'
  | 'malformed-record'
  | 'duplicate-term'
  | 'empty-term'
  | 'control-characters';

export interface InputWarning {
  kind: WarningKind;
  file: string;
  line: number;
  message: string;
}

/** Counts warnings by kind and keeps the first few of each kind as examples. */
export class WarningLog {
  readonly counts: Partial<Record<WarningKind, number>> = {};
  readonly examples: InputWarning[] = [];
  private readonly perKindExamples = new Map<WarningKind, number>();

  constructor(private readonly examplesPerKind = 5) {}

  add(warning: InputWarning): void {
    this.counts[warning.kind] = (this.counts[warning.kind] ?? 0) + 1;
    const shown = this.perKindExamples.get(warning.kind) ?? 0;
    if (shown < this.examplesPerKind) {
      this.perKindExamples.set(warning.kind, shown + 1);
      this.examples.push(warning);
    }
  }

  /** Counts `n` warnings of one kind at once, keeping the given examples (bulk paths). */
  addCounted(kind: WarningKind, n: number, examples: readonly InputWarning[]): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + n;
    for (const w of examples) {
      const shown = this.perKindExamples.get(kind) ?? 0;
      if (shown >= this.examplesPerKind) break;
      this.perKindExamples.set(kind, shown + 1);
      this.examples.push(w);
    }
  }

  get total(): number {
    let n = 0;
    for (const v of Object.values(this.counts)) n += v ?? 0;
    return n;
  }

  /** One line per example, `file:line: message (kind)`, then the totals. */
  format(): string[] {
    const lines = this.examples.map((w) => `${w.file}:${w.line}: ${w.message} (${w.kind})`);
    for (const [kind, n] of Object.entries(this.counts)) lines.push(`${kind}: ${n}`);
    return lines;
  }
}
