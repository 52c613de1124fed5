/** Locations of the data files shipped by npm packages, independent of the working directory. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Directory of an installed package, found through Node's resolver (works from any cwd). */
export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** The installed version of a package (the data it ships is fixed by it). */
export function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version;
}

/** KeNet, the Turkish WordNet shipped by nlptoolkit-wordnet. */
export function kenetPath(): string {
  return join(packageDir('nlptoolkit-wordnet'), 'turkish_wordnet.xml');
}

/** The dated dictionary editions (TDK 1901 ... 1998) shipped beside KeNet. */
export const DICTIONARY_EDITIONS = [1901, 1944, 1955, 1959, 1966, 1969, 1974, 1983, 1988, 1998] as const;

export function dictionaryEditionPath(year: (typeof DICTIONARY_EDITIONS)[number]): string {
  return join(packageDir('nlptoolkit-wordnet'), `turkish${year}_wordnet.xml`);
}

/** The 0.8M-token news corpus of nlptoolkit-corpus, one sentence a line. */
export function corpusPath(): string {
  return join(packageDir('nlptoolkit-corpus'), 'corpus.txt');
}
