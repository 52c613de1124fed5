import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Lemmatizer } from '../src/lexicon/index.js';

const execFileP = promisify(execFile);

/** The compiled module (`npx tsc -p .` writes it). */
const DIST_LEMMATIZE = fileURLToPath(new URL('../dist/src/lexicon/lemmatize.js', import.meta.url));
const DIST_URL = pathToFileURL(DIST_LEMMATIZE).href;

describe('Lemmatizer (in process)', () => {
  let lem: Lemmatizer;
  beforeAll(() => {
    lem = new Lemmatizer();
  });

  it.each([
    ['kitaplarımızdan', 'kitap'],
    ['evlerde', 'ev'],
    ['kitap', 'kitap'],
  ])('%s -> %s', (word, lemma) => {
    expect(lem.lemmatize(word)).toBe(lemma);
  });

  it('a multiword term lemmatises only its last word', () => {
    expect(lem.lemmatize('kırmızı kitaplar')).toBe('kırmızı kitap');
    expect(lem.lemmatize('evlerde kitaplarımızdan')).toBe('evlerde kitap');
  });

  it('tokens with non-Turkish letters or digits are unchanged', () => {
    expect(lem.lemmatize('qwerty')).toBe('qwerty');
    expect(lem.lemmatize('123')).toBe('123');
    expect(lem.lemmatize('wifi')).toBe('wifi');
    expect(lem.lemmatize('kitap123')).toBe('kitap123');
  });

  it('memoises the analyser per surface form', () => {
    const fresh = new Lemmatizer({ useTable: false });
    expect(fresh.cacheSize).toBe(0);
    expect(fresh.lemmatizeWord('evlerde')).toBe('ev');
    expect(fresh.lemmatizeWord('evlerde')).toBe('ev');
    expect(fresh.cacheSize).toBe(1);
  });

  it('the shipped lemma table gives the analyser\'s own answers', () => {
    const withTable = new Lemmatizer();
    const analyser = new Lemmatizer({ useTable: false });
    for (const w of ['kitaplarımızdan', 'evlerde', 'gidiyorum', 'güzelliği', 'sıcak', 'acılar', 'askerlikten', 'yararlanmak']) {
      expect(withTable.lemmatizeWord(w)).toBe(analyser.lemmatizeWord(w));
    }
    // Only the one word outside the shipped texts (kitaplarımızdan) reached the analyser.
    expect(withTable.cacheSize).toBe(1);
  });
});

describe('Lemmatizer outside the project directory and in a worker (compiled dist)', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(DIST_LEMMATIZE)) throw new Error(`${DIST_LEMMATIZE} missing: run \`npx tsc -p .\` first`);
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'synograph-lemma-')));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('works when process.cwd() is another directory', async () => {
    const script = `
      import { Lemmatizer } from ${JSON.stringify(DIST_URL)};
      const lem = new Lemmatizer();
      const out = ['kitaplarımızdan', 'evlerde', 'kırmızı kitaplar', 'qwerty'].map((w) => lem.lemmatize(w));
      process.stdout.write(JSON.stringify({ cwd: process.cwd(), out }));
    `;
    const { stdout } = await execFileP(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, timeout: 30_000 });
    const result = JSON.parse(stdout) as { cwd: string; out: string[] };
    expect(result.cwd).toBe(dir);
    expect(result.out).toEqual(['kitap', 'ev', 'kırmızı kitap', 'qwerty']);
  }, 30_000);

  it('works inside a worker thread', async () => {
    const workerFile = join(dir, 'lemma-worker.mjs');
    writeFileSync(
      workerFile,
      `import { parentPort, workerData } from 'node:worker_threads';
       import { Lemmatizer } from ${JSON.stringify(DIST_URL)};
       const lem = new Lemmatizer();
       parentPort.postMessage(workerData.map((w) => lem.lemmatize(w)));
      `,
    );
    const worker = new Worker(workerFile, { workerData: ['kitaplarımızdan', 'evlerde', 'kırmızı kitaplar', '123'] });
    try {
      const lemmas = await new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} before answering`)));
      });
      expect(lemmas).toEqual(['kitap', 'ev', 'kırmızı kitap', '123']);
    } finally {
      await worker.terminate();
    }
  }, 30_000);
});
