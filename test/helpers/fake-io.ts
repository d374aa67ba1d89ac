/** In-process CLI runs: `main()` from src/cli.ts with fake standard streams (no process spawned). */
import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/main.js';

export interface FakeIo extends CliIo {
  stdoutText(): string;
  stderrText(): string;
}

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  const parts: string[] = [];
  const stream = {
    isTTY: false,
    write(chunk: string | Uint8Array): boolean {
      parts.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    },
    once() {
      return stream;
    },
    on() {
      return stream;
    },
  };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => parts.join('') };
}

export function fakeIo(argv: string[], stdin: string | Buffer = ''): FakeIo {
  const out = sink();
  const err = sink();
  return {
    argv,
    env: { NO_COLOR: '1' },
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: out.stream,
    stderr: err.stream,
    stdoutText: out.text,
    stderrText: err.text,
  };
}
