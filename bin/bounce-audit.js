#!/usr/bin/env node
// A split worker starts first, while the CLI's own modules load (see src/prewarm.ts).
import { prewarmSplitWorker } from '../dist/parallel/prewarm.js';

prewarmSplitWorker(process.argv.slice(2));
const { run } = await import('../dist/cli/main.js');
await run();
