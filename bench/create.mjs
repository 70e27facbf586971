// The create half of bench/goals.mjs alone, for quick side-by-side runs of two builds:
//
//   node bench/create.mjs [--pkg DIR] [--n 10000]   (DIR: a pkg/node directory; default pkg/node)
//
// Fills N ClusterIP Services into 10.96.0.0/12 (seed 1, manual clock) one by one through
// cluster.create, then times 300 creates after 20 warm-ups, each followed by an untimed delete,
// and prints the fill time and the median create, as goals.mjs measures them.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const arg = (flag) => (args.indexOf(flag) >= 0 ? args[args.indexOf(flag) + 1] : undefined);
const dir = arg('--pkg') || fileURLToPath(new URL('../pkg/node', import.meta.url));
const n = Number(arg('--n') || 10000);
const { Cluster } = require(`${dir}/servicecidr_sim.js`);

const ns = () => process.hrtime.bigint();
const svc = (name) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { ports: [{ port: 80 }] },
});
const c = new Cluster({ seed: 1, now: '2024-01-01T00:00:00Z', serviceClusterIPRange: '10.96.0.0/12' });
const t0 = ns();
for (let i = 0; i < n; i++) c.create(svc(`s-${i}`));
const fill = Number(ns() - t0) / 1e9;
const xs = [];
for (let i = 0; i < 320; i++) {
  const t = ns();
  c.create(svc(`probe-${i}`));
  const us = Number(ns() - t) / 1e3;
  c.delete('services', `probe-${i}`, 'default');
  if (i >= 20) xs.push(us);
}
xs.sort((a, b) => a - b);
console.log(`${dir} n=${n}: fill ${fill.toFixed(3)} s, create median ${xs[Math.floor(xs.length / 2)].toFixed(1)} µs`);
