// Microbenchmarks behind figures quoted in the source:   node bench/micro.mjs   (after `npm run build`)
// - isoOf (src/suppression.ts) against Date#toISOString, on a log's run of bounce times;
// - receiverOfDomain (cached per domain text) against the uncached lookup, on the bench log's
//   mix of recipient domains.
// Each is timed over a few rounds after a warm-up round; ns per call, best round.
import { isoOf } from '../dist/suppression/list.js';
import { receiverOfDomain, receiverOfDomainText } from '../dist/classify/receivers.js';

const ROUNDS = 5;
function time(label, n, fn) {
  let best = Infinity;
  for (let r = 0; r <= ROUNDS; r++) {
    const t = performance.now();
    fn();
    const ns = ((performance.now() - t) * 1e6) / n;
    if (r > 0) best = Math.min(best, ns); // round 0 warms up
  }
  console.log(`${label.padEnd(40)} ${best.toFixed(0).padStart(5)} ns/call`);
}

const base = Date.UTC(2026, 8, 1);
const times = Array.from({ length: 200_000 }, (_, i) => base + i * 37_000);
let sink = 0;
time('Date#toISOString', times.length, () => times.forEach((ms) => (sink += new Date(ms).toISOString().length)));
time('isoOf', times.length, () => times.forEach((ms) => (sink += isoOf(ms).length)));

const DOMAINS = ['gmail.com', 'outlook.com', 'hotmail.com', 'yahoo.com', 'aol.com', 'example.org', 'acme-robotics.com', 'northwind.io', 'contoso.com', 'fabrikam.net', 'web.de', 'gmx.net', 'icloud.com', 'globex.co', 'initech.com'];
const emails = Array.from({ length: 200_000 }, (_, i) => `ana.${i.toString(36)}@${DOMAINS[i % DOMAINS.length]}`);
time('receiverOfDomain without the cache', emails.length, () => emails.forEach((e) => (sink += receiverOfDomainText(e) === null ? 0 : 1)));
time('receiverOfDomain', emails.length, () => emails.forEach((e) => (sink += receiverOfDomain(e) === null ? 0 : 1)));
if (sink < 0) console.log(sink);
