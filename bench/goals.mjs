// Issue #14's runtime goals, measured through pkg/node's JS API in one Node process per size:
//
//   node bench/goals.mjs [--sizes 10000,100000,1000000] [--out FILE] [--pkg DIR]
// (--pkg: another build's pkg/node directory, to measure a previous build side by side)
//
// Per size N (Services created one by one into 10.96.0.0/12, seed 1, manual clock):
//   fill time, wasm linear memory per Service (slope), create median (300 probes, each followed
//   by an untimed delete), list('services'), kubectl get svc -A, snapshot() / Cluster.restore()
//   (full and compact forms: time, JSON bytes, gzip bytes per Service) and that the restored
//   copy continues exactly (same next ClusterIP, uid, resourceVersion, creationTimestamp).
// Each size runs in a child process: wasm memory only grows, so sizes must not share a module.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const arg = (flag) => (args.indexOf(flag) >= 0 ? args[args.indexOf(flag) + 1] : undefined);

const ns = () => process.hrtime.bigint();
const ms = (a, b) => Number(b - a) / 1e6;
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function child(n) {
  const OrigInstance = WebAssembly.Instance;
  let instance = null;
  WebAssembly.Instance = new Proxy(OrigInstance, {
    construct(target, argv) {
      instance = Reflect.construct(target, argv);
      return instance;
    },
  });
  const { Cluster } = require(`${arg('--pkg') || `${ROOT}pkg/node`}/servicecidr_sim.js`);
  WebAssembly.Instance = OrigInstance;
  const memory = instance.exports.memory;
  const svc = (name) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { ports: [{ port: 80 }] },
  });
  const r = { services: n };
  const c = new Cluster({ seed: 1, now: '2024-01-01T00:00:00Z', serviceClusterIPRange: '10.96.0.0/12' });
  const half = Math.floor(n / 2);
  let memHalf = 0;
  const t0 = ns();
  for (let i = 0; i < n; i++) {
    if (i === half) memHalf = memory.buffer.byteLength;
    c.create(svc(`s-${i}`));
  }
  r.fill_s = ms(t0, ns()) / 1000;
  r.wasm_bytes = memory.buffer.byteLength;
  r.bytes_per_service = (memory.buffer.byteLength - memHalf) / (n - half);
  // create: 300 timed probes after 20 warm-ups, each followed by an untimed delete.
  const create = [];
  for (let i = 0; i < 320; i++) {
    const t = ns();
    c.create(svc(`probe-${i}`));
    const d = ms(t, ns()) * 1000;
    c.delete('services', `probe-${i}`, 'default');
    if (i >= 20) create.push(d);
  }
  r.create_median_us = median(create);
  console.error(`goals ${n}: ${JSON.stringify(r)}`); // partial figures, in case a later step fails
  const reps = n >= 1_000_000 ? 1 : n >= 100_000 ? 3 : 5;
  const time = (f) => {
    const xs = [];
    let out;
    for (let i = 0; i < reps; i++) {
      const t = ns();
      out = f();
      xs.push(ms(t, ns()));
    }
    return [median(xs), out];
  };
  if (n <= 100_000) {
    [r.list_ms] = time(() => c.list('services'));
    let res;
    [r.kubectl_get_svc_A_ms, res] = time(() => c.kubectl('get svc -A'));
    if (res.exitCode !== 0) throw new Error(res.stderr);
    r.kubectl_stdout_bytes = res.stdout.length;
  }
  for (const [form, opts] of [['full', undefined], ['compact', { compact: true }]]) {
    if (form === 'compact' && !supportsCompact(c)) continue;
    if (n > 100_000 && form === 'full') continue;
    let snap;
    [r[`snapshot_${form}_ms`], snap] = time(() => c.snapshot(opts));
    const json = JSON.stringify(snap);
    r[`snapshot_${form}_json_bytes`] = json.length;
    r[`snapshot_${form}_gzip_bytes_per_service`] = gzipSync(json, { level: 9 }).length / n;
    // A second 10^6-Service cluster does not fit beside the first in wasm32's 4 GiB.
    if (n >= 1_000_000) continue;
    let copy;
    [r[`restore_${form}_ms`], copy] = time(() => {
      if (copy) copy.free();
      return Cluster.restore(JSON.parse(json));
    });
    const a = c.create(svc('after-restore'));
    const b = copy.create(svc('after-restore'));
    c.delete('services', 'after-restore', 'default');
    copy.free();
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${form} restore differs: ${JSON.stringify([a, b])}`);
  }
  return r;
}

function supportsCompact(c) {
  try {
    const s = c.snapshot({ compact: true });
    return typeof s?.format === 'string' && s.format.includes('compact');
  } catch {
    return false;
  }
}

if (arg('--child')) {
  process.stdout.write(JSON.stringify(child(Number(arg('--child')))));
} else {
  const sizes = (arg('--sizes') || '10000,100000,1000000').split(',').map(Number);
  const out = { node: process.version, started: new Date().toISOString(), sizes: {} };
  for (const n of sizes) {
    const text = execFileSync(process.execPath, ['--max-old-space-size=4096', fileURLToPath(import.meta.url), '--child', String(n), ...(arg('--pkg') ? ['--pkg', arg('--pkg')] : [])], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    out.sizes[n] = JSON.parse(text);
    console.log(`goals ${n}: ${JSON.stringify(out.sizes[n])}`);
  }
  const file = arg('--out') || `${ROOT}target/bench-results/goals.json`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 1));
  console.log(`goals: wrote ${file}`);
}
