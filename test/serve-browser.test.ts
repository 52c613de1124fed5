import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { createServer, openService } from '../src/serve/index.js';
import { buildServeFixture } from './serve-fixture.js';

// Debian's Chromium (installed by .ci/run through apt); playwright never downloads a browser here.
// CHROMIUM_PATH names another one. A machine without it skips this file and says why.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NO_CHROMIUM = existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
if (NO_CHROMIUM) process.stderr.write(`serve-browser.test.ts: skipped: ${NO_CHROMIUM}\n`);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let dir: string;
let app: FastifyInstance;
let url: string;
let browser: Browser;
beforeAll(async () => {
  if (NO_CHROMIUM) return;
  const fixture = await buildServeFixture();
  dir = fixture.dir;
  app = await createServer(openService(fixture.file), { closeService: true });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(NO_CHROMIUM !== null)(`web explorer${NO_CHROMIUM ? ` (skipped: ${NO_CHROMIUM})` : ''}`, () => {
  it('looks a term up, lists its cluster, draws the neighbourhood and explains a kept-out neighbour', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.fill('#term', 'Kitaplarımızdan');
    await page.click('#search button[type=submit]');

    await expect.poll(() => page.locator('#members li').allTextContents()).toEqual(['kitap1.00', 'eser0.85', 'yapıt0.80']);
    expect(await page.textContent('#representative')).toBe('kitap');
    expect(await page.textContent('#matched')).toContain('lemma');

    // Sigma drew the graph: its canvases exist and the 2D label layer has ink on it.
    await expect.poll(() => page.locator('#graph canvas').count()).toBeGreaterThan(1);
    const labelInk = await page.evaluate(() => {
      const renderer = (window as unknown as { __explorer: { renderer: { getCanvases(): Record<string, HTMLCanvasElement> } | null } }).__explorer.renderer;
      if (!renderer) return -1;
      const canvas = renderer.getCanvases().labels;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
      return ink;
    });
    expect(labelInk).toBeGreaterThan(100);
    expect(await page.textContent('#status')).toMatch(/6 terms, 6 stored verdicts around "kitap"/);

    const kinds = await page.locator('#neighbours li').allTextContents();
    expect(kinds).toEqual(expect.arrayContaining(['dergipruned', 'defterco-hyponym', 'eser' + 'synonym']));

    await page.click('#neighbours button[data-term="dergi"]');
    await expect.poll(() => page.isVisible('#why')).toBe(true);
    expect(await page.textContent('#why-term')).toBe('"dergi" was kept out');
    expect(await page.textContent('#why-verdict')).toBe('(pruned)');
    const reasons = await page.locator('#why-reasons li').allTextContents();
    expect(reasons[0]).toMatch(/P\(synonym\) 0\.62 is below the 0\.70 gate/);
    expect(reasons[1]).toMatch(/clustered elsewhere: cluster #9 \("dergi"\)/);

    // A polysemous term: its neighbours grouped under the sense cluster they share with it.
    await page.fill('#term', 'kara');
    await page.click('#search button[type=submit]');
    await expect.poll(() => page.locator('#neighbours li.group').allTextContents()).toEqual(['primary sense: #2 (siyah)', 'sense 3: #3 (toprak)', 'kept out']);
    const listed = await page.locator('#neighbours li').allTextContents();
    expect(listed.indexOf('toprak' + 'synonym')).toBeGreaterThan(listed.indexOf('sense 3: #3 (toprak)'));
    expect(listed.indexOf('akantonym')).toBeGreaterThan(listed.indexOf('kept out')); // ak: a cannot-link, kept out
    expect(await page.locator('#senses p').allTextContents()).toEqual(['sense 3: #3 (toprak, support 0.60): toprak, yer, kara', 'sense 5: #7 (zarar, support 0.30): zarar, ziyan, kara']);

    await page.fill('#term', 'yokyok');
    await page.click('#search button[type=submit]');
    await expect.poll(() => page.textContent('#status')).toBe('no stored term matches "yokyok"');
    expect(errors).toEqual([]);
    await page.close();
  });
});
