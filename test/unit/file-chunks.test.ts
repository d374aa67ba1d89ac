/**
 * Reading a file into a few reused buffers (src/input/file-chunks.ts), and the promise the
 * readers above it keep for that to be safe: nothing holds on to a chunk's bytes after asking
 * for the next ones.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openChunks } from '../../src/input/file-chunks.js';
import { ByteChunks } from '../../src/output/byte-chunks.js';
import { writeAtomic } from '../../src/output/atomic-write.js';
import { openInput, type OpenedInput } from '../../src/input/open-input.js';
import { generate } from '../../bench/generate.mjs';
import { FIXTURES, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bounce-audit-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const copies: Buffer[] = [];
  for await (const c of chunks) copies.push(Buffer.from(c)); // copied: the buffers are reused
  return Buffer.concat(copies);
}

/**
 * A source stricter than openChunks: `ring` buffers used in turn, and the oldest overwritten
 * with garbage as soon as the next chunk is asked for, so a reader that kept a chunk's bytes
 * would read garbage. `ring` Infinity: fresh buffers, chunked the same way.
 */
async function* reusing(bytes: Buffer, size: number, ring: number): AsyncGenerator<Buffer> {
  if (ring === Infinity) {
    for (let i = 0; i < bytes.length; i += size) yield Buffer.from(bytes.subarray(i, i + size));
    return;
  }
  const bufs = Array.from({ length: ring }, () => Buffer.alloc(size));
  for (let i = 0, k = 0; i < bytes.length; i += size, k = (k + 1) % ring) {
    bufs[(k + 1) % ring]!.fill(0xff);
    const n = bytes.copy(bufs[k]!, 0, i, Math.min(bytes.length, i + size));
    yield bufs[k]!.subarray(0, n);
  }
}

async function rowsOf(opened: OpenedInput): Promise<unknown[]> {
  const rows: unknown[] = [];
  for await (const batch of opened.batches) rows.push(...batch);
  return rows;
}

describe('openChunks', () => {
  const file = join(dir, 'bytes.bin');
  const bytes = Buffer.from(Array.from({ length: 1_300_000 }, (_, i) => (i * 7919) % 251));
  writeFileSync(file, bytes);

  it('reads every byte of a file larger than its buffers, from the start or from an offset', async () => {
    expect((await collect(await openChunks(file))).equals(bytes)).toBe(true);
    expect((await collect(await openChunks(file, 777_777))).equals(bytes.subarray(777_777))).toBe(true);
  });

  it.skipIf(!hasMkfifo)('reads a pipe, which has no positions', async () => {
    const fifo = join(dir, 'pipe');
    spawnSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat "${file}" > "${fifo}"`]);
    const exited = new Promise((r) => writer.on('exit', r));
    expect((await collect(await openChunks(fifo))).equals(bytes)).toBe(true);
    await exited;
  });

  it.skipIf(!hasMkfifo)("lets the CLI audit a pipe given as a path, as a shell's <(…) passes one", async () => {
    const fixture = join(FIXTURES, 'campaign-q3.csv');
    const fifo = join(dir, 'log-pipe.csv');
    spawnSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat "${fixture}" > "${fifo}"`]);
    const exited = new Promise((r) => writer.on('exit', r));
    const viaPipe = await runCli([fifo, '--json', '--no-out', '--campaign', 'q3']);
    await exited;
    const viaFile = await runCli([fixture, '--json', '--no-out', '--campaign', 'q3']);
    expect(viaPipe.code).toBe(viaFile.code);
    expect(viaPipe.stderr).toBe('');
    const totals = (out: string): unknown => (JSON.parse(out) as { totals: unknown }).totals;
    expect(totals(viaPipe.stdout)).toEqual(totals(viaFile.stdout));
  });

  it.runIf(process.platform === 'linux')('closes the file when the reader stops early', async () => {
    const open = (): number => readdirSync('/proc/self/fd').length;
    const before = open();
    const chunks = await openChunks(file);
    await chunks.next();
    expect(open()).toBe(before + 1);
    await chunks.return(undefined);
    expect(open()).toBe(before);
  });

  it('names the problem when the file cannot be opened', async () => {
    await expect(openChunks(join(dir, 'missing.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('readers do not keep a chunk once they ask for the next', () => {
  it('reads a generated log from two reused buffers exactly as from fresh ones', async () => {
    const log = join(dir, 'log.csv');
    await generate(log, { rows: 3000, seed: 11 });
    const bytes = readFileSync(log);
    const opts = { format: null, encoding: null, overrides: {}, sourceColumn: null };
    for (const size of [1000, 4096, 65_536]) {
      // Chunked the same way (which columns are decoded can change from one chunk to the next).
      const fresh = await rowsOf(await openInput(reusing(bytes, size, Infinity), 'log.csv', opts));
      const reused = await rowsOf(await openInput(reusing(bytes, size, 2), 'log.csv', opts));
      expect(fresh.length).toBe(3000);
      expect(reused).toEqual(fresh);
    }
  });
});

describe('writing reused output buffers', () => {
  it('writeAtomic writes the chunks of a reusing ByteChunks in order, characters split across none', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `${i},${'é'.repeat(i % 50)},${'x'.repeat(i % 90)}\n`);
    function* chunks(): Generator<string | Uint8Array> {
      const out = new ByteChunks(64 * 1024, true);
      yield 'header\n';
      for (const l of lines) {
        out.text(l);
        if (out.hasCompleted) yield* out.completed();
      }
      yield* out.end();
    }
    const target = join(dir, 'written.csv');
    await writeAtomic(target, chunks(), 'test output');
    expect(readFileSync(target, 'utf8')).toBe('header\n' + lines.join(''));
  });
});
