/** The README is part of the contract: it must keep up with the options and reason names. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { REASONS } from '../../src/classify/reasons.js';
import { runCli, ROOT } from '../helpers/run-cli.js';
import { join } from 'node:path';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('documents every reason the classifier can return, with its bucket', () => {
    for (const [reason, info] of Object.entries(REASONS)) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${reason}\` |`));
      expect(row, `README reasons table lacks ${reason}`).toBeDefined();
      if (info.bucket) expect(row).toContain(`| ${info.bucket} |`);
    }
  });

  it('documents every long option that --help lists', async () => {
    const help = (await runCli(['--help'])).stdout;
    const flags = new Set(help.match(/--[a-z][a-z0-9-]+/g));
    for (const flag of flags) expect(readme, `README lacks ${flag}`).toContain(flag);
  });

  it('gives the set-up commands', () => {
    expect(readme).toMatch(/npm install && npx bounce-audit fixtures\/\S+\.csv/);
    expect(readme).toContain('npm test');
  });
});
