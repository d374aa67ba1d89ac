/**
 * Vitest global setup: the end-to-end tests spawn bin/bounce-audit.js, which runs the compiled
 * dist/, not src/. When a source file is newer than its compiled output (or has none), build
 * once with tsc before any test runs, so `npx vitest run` after an edit never tests old code.
 * A failed build stops the run with tsc's own messages.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './run-cli.js';

/** The first source file (relative to src/) whose dist/ output is missing or older than it; null when dist/ is current. */
export function staleSource(root: string): string | null {
  const src = join(root, 'src');
  const sources = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  for (const rel of sources.sort()) {
    const out = join(root, 'dist', rel.replace(/\.ts$/, '.js'));
    let builtAt: number;
    try {
      builtAt = statSync(out).mtimeMs;
    } catch {
      return rel;
    }
    if (statSync(join(src, rel)).mtimeMs > builtAt) return rel;
  }
  return null;
}

export default function setup(): void {
  const stale = staleSource(ROOT);
  if (stale === null) return;
  process.stderr.write(`dist/ is older than src/${stale}: building (tsc -p tsconfig.json) before the tests run\n`);
  const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0 || staleSource(ROOT) !== null) {
    throw new Error(
      `building dist/ for the end-to-end tests failed (tsc -p tsconfig.json exited ${r.status}); fix these errors first:\n${r.stdout}${r.stderr}`,
    );
  }
}
