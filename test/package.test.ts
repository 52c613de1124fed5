/**
 * The published package as a user gets it: `npm pack`, unpacked into an empty folder's
 * node_modules (its dependencies linked from this checkout's, since tests never download), then
 * the README's library example type-checked against the package's declarations and run.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildServeFixture } from './serve-fixture.js';

const ROOT = process.cwd();
let dir: string;
let fixture: { dir: string; file: string };
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-package-'));
  fixture = await buildServeFixture();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(fixture.dir, { recursive: true, force: true });
});

/** The README's TypeScript example under "As a library". */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## As a library'));
  const start = section.indexOf('```ts\n') + 6;
  return section.slice(start, section.indexOf('```', start));
}

describe('the npm package', () => {
  it('installs from its tarball, and the README example type-checks against its declarations and runs', () => {
    // dist is built by the test command itself (tsc); --ignore-scripts keeps pack from rebuilding it under the running tests.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/src/index.d.ts');
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('src/') && !f.startsWith('src/serve/web/'))).toBe(false);

    const modules = join(dir, 'app', 'node_modules');
    mkdirSync(modules, { recursive: true });
    execFileSync('tar', ['xzf', join(dir, packed[0].filename), '-C', modules]);
    renameSync(join(modules, 'package'), join(modules, 'synograph'));
    for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
      if (entry === '.bin' || entry === 'synograph' || entry.startsWith('.')) continue;
      symlinkSync(resolve(ROOT, 'node_modules', entry), join(modules, entry));
    }
    const app = join(dir, 'app');
    mkdirSync(join(app, 'data'));
    copyFileSync(fixture.file, join(app, 'data', 'synograph.db'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(join(app, 'example.ts'), readmeExample());

    // A user's usual settings: strict, declarations of dependencies not re-checked (skipLibCheck).
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '--strict', '--skipLibCheck', '--types', 'node', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--outDir', 'out', 'example.ts'], { cwd: app, encoding: 'utf8' });
    const out = execFileSync(process.execPath, [join(app, 'out', 'example.js')], { cwd: app, encoding: 'utf8' });
    // The fixture database knows siyah ~ kara, not okul or çanta: those stay as written.
    expect(out.trim()).toBe('siyah OR kara OR okul OR çantası');
  }, 120_000);
});
