/**
 * The layout docs/architecture.md draws, held by reading the source (issue 15): SQL only in
 * src/store/, stage folders free of the store and of what sits above it, the pipeline free of
 * evaluation, and no import cycles. A static check: nothing is run.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const STAGE_FOLDERS = ['lexicon', 'evidence', 'embed', 'candidates', 'relations', 'cluster'];
/** What a stage folder may not import: the store and every layer that sits on it. */
const ABOVE_STAGES = ['store', 'pipeline', 'cli', 'eval', 'methods', 'serve'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Path under src/ (forward slashes), e.g. `relations/stage.ts`. */
const under = (file: string): string => relative(SRC, file).split('\\').join('/');
const folderOf = (file: string): string => under(file).split('/')[0];

/** The source files a file imports (static, dynamic and re-exports), resolved; type-only imports count too. */
function importsOf(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')))
    .filter((path) => existsSync(path));
}

const files = sourceFiles(SRC);
const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
const graph = new Map(files.map((f) => [f, importsOf(f, texts.get(f)!)]));

describe('architecture (docs/architecture.md)', () => {
  it('reads the source tree', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get(join(SRC, 'index.ts'))!.length).toBeGreaterThan(0);
  });

  it('prepares SQL statements only in src/store/', () => {
    const outside = files.filter((f) => folderOf(f) !== 'store' && /\.prepare\s*\(/.test(texts.get(f)!)).map(under);
    expect(outside).toEqual([]);
  });

  it('keeps the stage folders pure: no import of the store or of any layer above it', () => {
    const bad: string[] = [];
    for (const [file, imports] of graph) {
      if (!STAGE_FOLDERS.includes(folderOf(file))) continue;
      for (const target of imports) if (ABOVE_STAGES.includes(folderOf(target))) bad.push(`${under(file)} -> ${under(target)}`);
    }
    expect(bad).toEqual([]);
  });

  it('keeps evaluation out of the pipeline', () => {
    const bad: string[] = [];
    for (const [file, imports] of graph) {
      if (folderOf(file) !== 'pipeline') continue;
      for (const target of imports) if (folderOf(target) === 'eval') bad.push(`${under(file)} -> ${under(target)}`);
    }
    expect(bad).toEqual([]);
  });

  it('has no import cycles', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].map(under).join(' -> '));
        else if (!state.has(next)) visit(next, [...path, next]);
      }
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file, [file]);
    expect(cycles).toEqual([]);
  });

  // Piscina loads a task file with require() first. On Node 20.19+ that loads an ES module, and a
  // module with a default export gets a facade whose linking can fail Node's own assertion
  // (module_wrap.cc CreateRequiredModuleFacade): the process aborts. A build in trust.test.ts
  // died so (its exit code null, Node's assertion in its stderr). Named exports, named by each
  // pool, take no facade.
  it('gives worker modules no default export (require() of one can abort Node 20)', () => {
    const workers = join(ROOT, 'workers');
    const withDefault = readdirSync(workers).filter((f) => f.endsWith('.ts') && /^export\s+default\b/m.test(readFileSync(join(workers, f), 'utf8')));
    expect(withDefault).toEqual([]);
  });
});
