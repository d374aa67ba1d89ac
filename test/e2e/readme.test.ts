/** The README and docs/ are part of the contract: they must keep up with the options and reason names. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { REASONS } from '../../src/classify/reasons.js';
import { runCli, ROOT } from '../helpers/run-cli.js';
import { join } from 'node:path';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const readme = read('README.md');

describe('README', () => {
  it('gives the set-up commands', () => {
    expect(readme).toMatch(/npm install && npx bounce-audit fixtures\/\S+\.csv/);
    expect(readme).toContain('npm test');
  });
});

describe('docs/', () => {
  it('documents every reason the classifier can return, with its bucket, in classification.md', () => {
    const rows = read('docs/classification.md').split('\n');
    for (const [reason, info] of Object.entries(REASONS)) {
      const row = rows.find((l) => l.startsWith(`| \`${reason}\` |`));
      expect(row, `docs/classification.md reasons table lacks ${reason}`).toBeDefined();
      if (info.bucket) expect(row).toContain(`| ${info.bucket} |`);
    }
  });

  it('documents every long option that --help and explain --help list, in options.md', async () => {
    const options = read('docs/options.md');
    const helps = [(await runCli(['--help'])).stdout, (await runCli(['explain', '--help'])).stdout];
    const flags = new Set(helps.flatMap((h) => h.match(/--[a-z][a-z0-9-]+/g) ?? []));
    expect(flags.size).toBeGreaterThan(30);
    for (const flag of flags) {
      // The whole flag, not a prefix of a longer one (`--out` is not documented by `--clean-out`).
      expect(options, `docs/options.md lacks ${flag}`).toMatch(new RegExp(`(?<![a-z0-9-])${flag}(?![a-z0-9-])`));
    }
  });
});
