// Preloaded with `node --import` when /usr/bin/time is missing: on exit, append this process's
// peak RSS in kilobytes to the file named by BOUNCE_AUDIT_RSS_FILE. Keeps the measurement out
// of the CLI itself.
import { appendFileSync } from 'node:fs';

const target = process.env.BOUNCE_AUDIT_RSS_FILE;
if (target) {
  process.on('exit', () => {
    appendFileSync(target, `${process.resourceUsage().maxRSS}\n`);
  });
}
