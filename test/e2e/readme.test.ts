/**
 * The README and docs/ are part of the contract: they must keep up with the options and reason
 * names, and their links must lead somewhere.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { REASONS } from '../../src/classify/reasons.js';
import { runCli, ROOT } from '../helpers/run-cli.js';
import { dirname, join, relative } from 'node:path';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const readme = read('README.md');
const DOCS = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .sort();
const docPages = DOCS.map((f) => `docs/${f}`);

/** Markdown text without fenced code blocks and inline code spans, where links are not links. */
function prose(md: string): string {
  return md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, 'code');
}

/** Relative link targets of a Markdown page: `[text](target)`, without web, mail and same-page links. */
function relativeLinks(md: string): string[] {
  const targets = [...prose(md).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'));
}

/** The anchors GitHub gives a page's headings (lower case, punctuation dropped, spaces → '-'). */
function anchorsOf(md: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutFences = md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const m of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

describe('README', () => {
  it('is at most 300 lines', () => {
    const lines = readme.replace(/\n$/, '').split('\n').length;
    expect(lines, `README.md has ${lines} lines`).toBeLessThanOrEqual(300);
  });

  it('gives the set-up commands', () => {
    expect(readme).toMatch(/npm install && npx bounce-audit fixtures\/\S+\.csv/);
    expect(readme).toContain('npm test');
  });

  it('links to every page in docs/', () => {
    expect(DOCS.length).toBeGreaterThan(0);
    const targets = relativeLinks(readme).map((t) => t.split('#')[0]);
    for (const page of docPages) expect(targets, `README.md does not link to ${page}`).toContain(page);
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

  it('documents every long option that --help, explain --help and sql --help list, in options.md', async () => {
    const options = read('docs/options.md');
    const helps = await Promise.all([['--help'], ['explain', '--help'], ['sql', '--help']].map(async (args) => (await runCli(args)).stdout));
    const flags = new Set(helps.flatMap((h) => h.match(/--[a-z][a-z0-9-]+/g) ?? []));
    expect(flags.size).toBeGreaterThan(30);
    for (const flag of flags) {
      // The whole flag, not a prefix of a longer one (`--out` is not documented by `--clean-out`).
      expect(options, `docs/options.md lacks ${flag}`).toMatch(new RegExp(`(?<![a-z0-9-])${flag}(?![a-z0-9-])`));
    }
  });

  it('never tells the reader to run npx --yes bounce-audit (an unpublished name)', () => {
    for (const page of ['README.md', ...docPages]) expect(read(page), page).not.toMatch(/npx\s+--yes\s+bounce-audit/);
  });

  it('CI examples install the tool from its repository before running it, never from the registry by name', () => {
    for (const page of ['README.md', ...docPages]) {
      for (const m of read(page).matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)) {
        const block = m[1]!;
        if (!/\bbounce-audit\s+\S/.test(block.replace(/^.*(?:repository|path|REPO|name):.*$/gm, ''))) continue;
        expect(block, `${page}: a CI example runs npx bounce-audit`).not.toMatch(/npx\s+(?:--\S+\s+)*bounce-audit/);
        expect(block, `${page}: a CI example does not install the tool from its clone`).toMatch(/npm install -g \./);
      }
    }
  });
});

describe('links in README.md and docs/*.md', () => {
  for (const page of ['README.md', ...docPages]) {
    it(`every relative link in ${page} points at a file (and heading) that exists`, () => {
      const links = relativeLinks(read(page));
      for (const link of links) {
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), decodeURIComponent(path));
        const shown = relative(ROOT, target) || '.';
        expect(existsSync(target), `${page} links to ${link}: ${shown} does not exist`).toBe(true);
        if (anchor !== undefined && target.endsWith('.md') && statSync(target).isFile()) {
          expect([...anchorsOf(readFileSync(target, 'utf8'))], `${page} links to ${link}: no such heading in ${shown}`).toContain(anchor);
        }
      }
    });
  }

  it('same-page links point at a heading of the page', () => {
    for (const page of ['README.md', ...docPages]) {
      const md = read(page);
      const anchors = anchorsOf(md);
      for (const m of prose(md).matchAll(/\]\(#([^)\s]+)\)/g)) expect([...anchors], `${page} links to #${m[1]}`).toContain(m[1]);
    }
  });
});
