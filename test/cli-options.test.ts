import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { COMMAND_SPECS, helpText, parseCommand } from '../src/cli/options.js';

/** The README's command-line block: each command with the flags its lines name. */
function readmeFlags(): Map<string, Set<string>> {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## Command line');
  const block = readme.slice(readme.indexOf('```sh\n', start) + 6, readme.indexOf('\n```', start + 20));
  const flags = new Map<string, Set<string>>();
  let command = '';
  for (const line of block.split('\n')) {
    const head = /^npx synograph ([a-z-]+)/.exec(line);
    if (head) command = head[1];
    if (!command) continue;
    const set = flags.get(command) ?? new Set<string>();
    for (const m of line.matchAll(/--([a-z][a-z-]*)/g)) set.add(m[1]);
    flags.set(command, set);
  }
  return flags;
}

describe('command-line options', () => {
  it('the README names exactly the flags each command parses, and the help lists every one', () => {
    const readme = readmeFlags();
    const help = helpText();
    expect([...readme.keys()].sort()).toEqual(COMMAND_SPECS.map((c) => c.name).sort());
    for (const spec of COMMAND_SPECS) {
      expect([...(readme.get(spec.name) ?? [])].sort(), spec.name).toEqual(Object.keys(spec.flags).sort());
      for (const flag of Object.keys(spec.flags)) expect(help).toContain(`--${flag}`);
    }
  });

  it('parses by the table: strings, booleans false when absent, an unknown flag refused', () => {
    const parsed = parseCommand('query', ['kara', '--limit', '3', '--json']);
    expect(parsed).toEqual({ values: { db: undefined, limit: '3', algorithm: undefined }, flags: { json: true }, positionals: ['kara'] });
    expect(parseCommand('serve', []).flags.log).toBe(false);
    expect(() => parseCommand('serve', ['--nope'])).toThrow(/--nope/);
  });
});
