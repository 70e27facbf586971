// Node benchmark of the built package (pkg/node) through its JS API: the same scenarios as
// benches/cluster.rs runs natively, so the two result files compare case by case.
//
//   node bench/node-bench.mjs --run NAME [--quick] [--out FILE]
//
// NAME is a run of bench/scenarios.json. One run per process: wasm linear memory only grows,
// so a run sharing the module with an earlier one would report that one's high-water mark.
// --quick stops each run at 10^5 Services (a smoke run).
// Every loop is bounded by a count; nothing waits on wall time.
import { createRequire } from 'node:module';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIOS, levelsFor, NOW, SEED } from './scenarios.mjs';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const arg = (flag) => (args.indexOf(flag) >= 0 ? args[args.indexOf(flag) + 1] : undefined);
const RUN = arg('--run');
if (!RUN || !SCENARIOS.runs[RUN]) {
  console.error(`usage: node bench/node-bench.mjs --run (${SCENARIOS.order.join('|')}) [--quick] [--out FILE]`);
  process.exit(2);
}
const OUT = arg('--out') || `${ROOT}target/bench-results/node-${RUN}.json`;

// The nodejs glue keeps its instance private. Wrapping the constructor for the one require()
// gives us the instance's exported linear memory: memory.buffer.byteLength is exactly the
// wasm heap the module holds (it only grows, in 64 KiB pages), independent of the JS heap.
const OrigInstance = WebAssembly.Instance;
let instance = null;
WebAssembly.Instance = new Proxy(OrigInstance, {
  construct(target, argv) {
    instance = Reflect.construct(target, argv);
    return instance;
  },
});
const { Cluster } = require('../pkg/node/servicecidr_sim.js');
WebAssembly.Instance = OrigInstance;
if (!instance || !(instance.exports.memory instanceof WebAssembly.Memory)) {
  throw new Error('node-bench: could not reach the module instance of pkg/node');
}
const memory = instance.exports.memory;

const ns = () => process.hrtime.bigint();
const us = (a, b) => Number(b - a) / 1000;

function stats(samples) {
  const s = samples.slice().sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const mean = s.reduce((x, y) => x + y, 0) / s.length;
  return { n: s.length, median_us: q(0.5), p90_us: q(0.9), mean_us: mean, min_us: s[0] };
}

// ---------- addresses ----------
function ip4ToInt(s) {
  return s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}
function intToIp4(v) {
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

/** What the harness knows about one single-family range: its usable size, and (IPv4) a bitmap
 * of taken addresses so a static request can name a free one without asking the cluster. */
function rangeModel(cidr) {
  const [base, lenText] = cidr.split('/');
  const len = Number(lenText);
  if (base.includes(':')) {
    // IPv6 /64 (the only v6 case): usable = all but the network address. Static picks are
    // random 64-bit host parts; a collision with 10^6 taken is ~5e-14, and is retried anyway.
    const groups = base.replace(/::$/, '').split(':');
    while (groups.length < 4) groups.push('0');
    const prefix = `${groups.join(':')}:`;
    return {
      family: 'IPv6',
      usable: 2 ** (128 - len) - 1,
      mark() {},
      staticPick(rng) {
        const g = () => Math.floor(rng() * 65536).toString(16);
        return `${prefix}${g()}:${g()}:${g()}:${g() || '1'}`;
      },
    };
  }
  const size = 2 ** (32 - len);
  const net = ip4ToInt(base);
  const taken = new Uint8Array(size);
  taken[0] = 1; // network
  taken[size - 1] = 1; // broadcast
  // upstream's calculateRangeOffset: min(max(16, size/16), 256); the static band is [1, offset].
  const offset = Math.min(Math.max(16, Math.floor(size / 16)), 256);
  return {
    family: 'IPv4',
    usable: size - 2,
    mark(ip) {
      const i = ip4ToInt(ip) - net;
      if (i >= 0 && i < size) taken[i] = 1;
    },
    // A free address, from the static band when it has one (what a user asking for a fixed
    // ClusterIP is told to use), else the first free one after a random point.
    staticPick(rng) {
      for (let i = 1; i <= offset; i++) if (!taken[i]) return intToIp4(net + i);
      const start = 1 + Math.floor(rng() * (size - 2));
      for (let k = 0; k < size; k++) {
        const i = 1 + ((start - 1 + k) % (size - 2));
        if (!taken[i]) return intToIp4(net + i);
      }
      return null;
    },
  };
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const service = (name, clusterIP) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: clusterIP ? { clusterIP, ports: [{ port: 80 }] } : { ports: [{ port: 80 }] },
});

function usedOf(c) {
  const st = c.allocatorState();
  return st.reduce((a, s) => a + Number(s.used), 0);
}

/** K create calls (timed) each followed by a delete (untimed): the fill level stays put. */
function createCycles(c, k, clusterIP) {
  const out = [];
  for (let i = 0; i < k + 5; i++) {
    const name = `probe-${i}`;
    const t0 = ns();
    c.create(service(name, clusterIP));
    const t1 = ns();
    c.delete('services', name, 'default');
    if (i >= 5) out.push(us(t0, t1)); // the first few warm the JIT paths of this level
  }
  return stats(out);
}

let probeCidrs = 0;
function canDeleteProbe(c, reps) {
  const out = [];
  // Round 0 is untimed: its first delete also compiles the controller path in V8.
  for (let r = 0; r <= reps; r++) {
    const name = `probe-cidr-${probeCidrs++}`;
    c.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'ServiceCIDR',
      metadata: { name },
      spec: { cidrs: [SCENARIOS.candelete.probeCidr] },
    });
    const t0 = ns();
    const left = c.delete('servicecidrs', name);
    const t1 = ns();
    if (!left.metadata.deletionTimestamp) throw new Error('probe ServiceCIDR lost its finalizer');
    // All IPs lie in the parent ServiceCIDR, so the controller lets the probe go after the
    // 10 s grace period; advancing the clock removes it, so it costs later creates nothing.
    c.advance(10);
    try {
      c.get('servicecidrs', name);
      throw new Error(`probe ServiceCIDR ${name} still exists after the grace period`);
    } catch (e) {
      if (e.code !== 404) throw e;
    }
    if (r > 0) out.push(us(t0, t1));
  }
  return stats(out);
}

function kubectlProbe(c, line, reps) {
  const out = [];
  let bytes = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = ns();
    const res = c.kubectl(line);
    const t1 = ns();
    if (res.exitCode !== 0) return { skipped: (res.stderr || '').trim() };
    bytes = res.stdout.length;
    out.push(us(t0, t1));
  }
  return { ...stats(out), bytes };
}

function snapshotProbe(c) {
  const t0 = ns();
  const snap = c.snapshot();
  const t1 = ns();
  const json = JSON.stringify(snap);
  const t2 = ns();
  const copy = Cluster.restore(JSON.parse(json));
  const t3 = ns();
  // The copy must continue exactly as the original: the next allocation picks the same IP.
  const a = c.create(service('after-restore')).spec.clusterIP;
  const b = copy.create(service('after-restore')).spec.clusterIP;
  c.delete('services', 'after-restore', 'default');
  copy.free();
  if (a !== b) throw new Error(`restored cluster differs: next IP ${a} vs ${b}`);
  return {
    objects: snap.services.length + snap.ipAddresses.length + snap.serviceCidrs.length,
    snapshot_ms: us(t0, t1) / 1000,
    stringify_ms: us(t1, t2) / 1000,
    restore_ms: us(t2, t3) / 1000,
    json_bytes: json.length,
  };
}

function memoryNow() {
  const m = process.memoryUsage();
  return { wasm_bytes: memory.buffer.byteLength, rss_bytes: m.rss, js_heap_bytes: m.heapUsed };
}

function runScenario(sc) {
  const rng = mulberry32(SEED);
  const model = rangeModel(sc.cidr);
  const t0 = ns();
  const c = new Cluster({ seed: SEED, now: NOW, serviceClusterIPRange: sc.cidr });
  const ctorMs = us(t0, ns()) / 1000;
  let used = usedOf(c);
  for (const s of c.list('services')) for (const ip of s.spec.clusterIPs || []) model.mark(ip);
  const levels = levelsFor(sc, model.usable, used, quick);
  const result = { cidr: sc.cidr, family: model.family, usable: model.usable, ctor_ms: ctorMs, levels: [] };
  let created = 0;
  let fillUs = 0;
  const mem0 = memoryNow();
  result.memory_at_start = mem0;
  for (const lv of levels) {
    // Fill to the level through the API, timing the whole segment.
    const before = created;
    const f0 = ns();
    while (used < lv.taken) {
      const s = c.create(service(`s-${created}`));
      model.mark(s.spec.clusterIP);
      created++;
      used++;
    }
    const f1 = ns();
    fillUs += us(f0, f1);
    const row = {
      label: lv.label,
      fill: used / model.usable,
      taken: used,
      services: created,
      fill_segment_mean_us: created > before ? us(f0, f1) / (created - before) : null,
      fill_elapsed_s: fillUs / 1e6,
      memory: memoryNow(),
    };
    if (lv.tasks.includes('dynamic')) row.dynamic = createCycles(c, sc.cycles.node.dynamic);
    if (lv.tasks.includes('static')) {
      const ip = model.staticPick(rng);
      row.static = { ip, ...createCycles(c, sc.cycles.node.static, ip) };
    }
    if (lv.tasks.includes('candelete')) row.candelete = canDeleteProbe(c, SCENARIOS.candelete.reps);
    if (lv.tasks.includes('kubectl')) {
      const reps = created >= 100_000 ? 1 : created >= 10_000 ? 3 : 5;
      row.kubectl = {};
      for (const line of SCENARIOS.kubectlLines) row.kubectl[line] = kubectlProbe(c, line, reps);
    }
    if (lv.tasks.includes('snapshot')) row.snapshot = snapshotProbe(c);
    if (usedOf(c) !== used) throw new Error(`${sc.name}: harness count ${used} != cluster's ${usedOf(c)}`);
    result.levels.push(row);
    const d = row.dynamic ? ` dyn ${row.dynamic.median_us.toFixed(1)}us` : '';
    const st = row.static ? ` static ${row.static.median_us.toFixed(1)}us` : '';
    console.log(
      `node ${sc.name} ${lv.label.padStart(8)}: ${String(created).padStart(8)} svcs, fill ${(fillUs / 1e6).toFixed(1)}s` +
        `${d}${st}, wasm ${(row.memory.wasm_bytes / 2 ** 20).toFixed(0)} MiB`,
    );
  }
  result.services_created = created;
  result.fill_total_s = fillUs / 1e6;
  c.free();
  return result;
}

const out = {
  env: 'wasm (Node ' + process.version + ', pkg/node)',
  quick,
  started: new Date().toISOString(),
  runs: {},
};
out.runs[RUN] = runScenario({ name: RUN, ...SCENARIOS.runs[RUN] });
out.finished = new Date().toISOString();
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify(out, null, 1));
console.log(`node-bench: wrote ${OUT}`);
