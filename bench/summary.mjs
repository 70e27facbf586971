// Reads the result files of one `pkg-scripts/bench` run (target/bench-results/*.json),
// measures module size and instantiate time, and writes:
//   bench/results/summary.md    the tables BENCHMARKS.md quotes
//   bench/results/fill-cost.svg cost per create vs fill level (no dependencies: SVG by hand)
//   bench/results/results.json  every figure, merged
// and prints the summary tables.
//   node bench/summary.mjs [--in DIR] [--out DIR]
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sizes, WASM } from './size.mjs';
import { SCENARIOS } from './scenarios.mjs';
import { chartSvg } from './chart.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const arg = (f, d) => (args.indexOf(f) >= 0 ? args[args.indexOf(f) + 1] : d);
const IN = arg('--in', `${ROOT}target/bench-results`);
const OUT = arg('--out', `${ROOT}bench/results`);

const load = (f) => (existsSync(`${IN}/${f}`) ? JSON.parse(readFileSync(`${IN}/${f}`, 'utf8')) : null);
const native = {};
const wasm = {};
for (const r of SCENARIOS.order) {
  native[r] = load(`native-${r}.json`)?.runs?.[r] ?? null;
  wasm[r] = load(`node-${r}.json`)?.runs?.[r] ?? null;
}
const alloc = load('native-allocator.json');

// ---------- formatting ----------
const f1 = (x) => (x == null || Number.isNaN(x) ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(1)}×` : '–');
const mib = (b) => (b == null ? '–' : `${(b / 2 ** 20).toFixed(0)} MiB`);
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const dur = (us) => (us == null ? '–' : us >= 1e6 ? `${(us / 1e6).toFixed(2)} s` : us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${f1(us)} µs`);

const level = (run, label) => run?.levels?.find((l) => l.label === label || l.label.split(' / ').includes(label));
const labelsOf = (name) => {
  const a = native[name]?.levels ?? [];
  const b = wasm[name]?.levels ?? [];
  const seen = [];
  for (const l of [...a, ...b]) if (!seen.includes(l.label)) seen.push(l.label);
  return seen;
};

// ---------- environment ----------
function sh(cmd, a) {
  try {
    return execFileSync(cmd, a, { encoding: 'utf8', cwd: ROOT }).trim();
  } catch {
    return '?';
  }
}
const cpuModel = (() => {
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m);
    return m ? m[1] : cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model;
  }
})();
const env = {
  date: new Date().toISOString(),
  nproc: sh('nproc', []),
  cpu: cpuModel,
  mem: sh('sh', ['-c', "free -g | awk '/Mem:/ {print $2 \" GiB\"}'"]),
  load: sh('cat', ['/proc/loadavg']),
  node: process.version,
  rustc: sh('rustc', ['--version']),
  commit: sh('git', ['rev-parse', '--short', 'HEAD']),
};

// ---------- module size and instantiate ----------
const size = existsSync(ROOT + WASM) ? sizes(WASM) : null;
function instantiate() {
  if (!existsSync(ROOT + WASM)) return null;
  const probe = `
    const fs = require('node:fs');
    const bytes = fs.readFileSync(${JSON.stringify(ROOT + WASM)});
    let t = performance.now();
    new WebAssembly.Module(bytes);
    const compile = performance.now() - t;
    t = performance.now();
    const { Cluster } = require(${JSON.stringify(`${ROOT}pkg/node/servicecidr_sim.js`)});
    const req = performance.now() - t;
    t = performance.now();
    new Cluster({ seed: 1, now: '2024-01-01T00:00:00Z' }).free();
    const first = performance.now() - t;
    t = performance.now();
    new Cluster({ seed: 1, now: '2024-01-01T00:00:00Z' }).free();
    const second = performance.now() - t;
    console.log(JSON.stringify({ compile, req, first, second }));`;
  const runs = [];
  for (let i = 0; i < 7; i++) runs.push(JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })));
  const med = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[runs.length >> 1];
  return { processes: runs.length, compile_ms: med('compile'), require_ms: med('req'), first_cluster_ms: med('first'), second_cluster_ms: med('second') };
}
const inst = instantiate();

// ---------- tables ----------
const out = [];
const say = (s = '') => out.push(s);
say(`Run: ${env.date} · commit ${env.commit} · ${env.nproc} cores (${env.cpu}), ${env.mem} · ${env.node} · ${env.rustc} · load avg at summary: ${env.load}`);
say();

// Dynamic and static creates per fill level.
const growth = {};
for (const kind of ['dynamic', 'static']) {
  for (const name of ['v4-16', 'v4-12', 'v6-64']) {
    const rows = [];
    const meds = { native: [], wasm: [] };
    for (const label of labelsOf(name)) {
      const n = level(native[name], label)?.[kind];
      const w = level(wasm[name], label)?.[kind];
      if (!n && !w) continue;
      if (n) meds.native.push(n.median_us);
      if (w) meds.wasm.push(w.median_us);
      const lv = level(native[name], label) ?? level(wasm[name], label);
      rows.push([
        label,
        String(lv.services),
        f1(n?.median_us),
        f1(n?.p90_us),
        f1(w?.median_us),
        f1(w?.p90_us),
        ratio(w?.median_us, n?.median_us),
      ]);
    }
    if (!rows.length) continue;
    const g = (xs) => (xs.length ? Math.max(...xs) / Math.min(...xs) : null);
    const ends = (xs) => (xs.length > 1 ? xs[xs.length - 1] / xs[0] : null);
    growth[`${kind} ${name}`] = { native: g(meds.native), wasm: g(meds.wasm), native_end: ends(meds.native), wasm_end: ends(meds.wasm) };
    say(`### ${kind === 'dynamic' ? 'Dynamic' : 'Static'} ClusterIP: Service create, ${SCENARIOS.runs[name].cidr} (µs per create)`);
    say();
    say(table(['fill', 'Services', 'native median', 'native p90', 'wasm median', 'wasm p90', 'wasm/native'], rows));
    say();
    say(
      `Last level / first level (median): native ${ends(meds.native)?.toFixed(2) ?? '–'}×, wasm ${ends(meds.wasm)?.toFixed(2) ?? '–'}×. ` +
        `Highest / lowest median over all levels: native ${g(meds.native)?.toFixed(2) ?? '–'}×, wasm ${g(meds.wasm)?.toFixed(2) ?? '–'}×.`,
    );
    say();
  }
}

// Filling: total time, mean per create, memory.
{
  const rows = [];
  for (const name of SCENARIOS.order) {
    for (const [side, run] of [['native', native[name]], ['wasm', wasm[name]]]) {
      if (!run) continue;
      const last = run.levels[run.levels.length - 1];
      const at = (n) => run.levels.find((l) => l.services >= n);
      const m = (l) => (l ? (side === 'native' ? l.memory.heap_bytes : l.memory.wasm_bytes) : null);
      // Bytes per Service: slope from the first level at >= 500 000 Services (else 10^5) to the
      // last. The capped watch log, trace and event ring are full long before; and wasm linear
      // memory is a high-water mark, which kubectl over 10^5 objects at the 10^5 level raises
      // well above what the Services alone hold until ~450 000 Services.
      const from = [500_000, 100_000].map(at).find((l) => l && last.services > l.services);
      const slope = from ? (m(last) - m(from)) / (last.services - from.services) : null;
      rows.push([
        `${name} ${side}`,
        String(last.services),
        `${run.fill_total_s.toFixed(1)} s`,
        f1((run.fill_total_s * 1e6) / Math.max(1, last.services)),
        mib(m(last)),
        slope ? `${slope.toFixed(0)} B (from ${from.services})` : '–',
        `${(m(last) / last.services).toFixed(0)} B`,
      ]);
    }
  }
  say('### Filling through the API (every Service created one by one)');
  say();
  say(table(['run', 'Services', 'fill time', 'mean µs/create', side_mem_head(), 'bytes/Service (slope)', 'memory at end / Services'], rows));
  say();
}
function side_mem_head() {
  return 'memory at end (native: live heap; wasm: linear memory)';
}

// 10^6 Services in one cluster.
{
  const w = wasm['v4-12'];
  const n = native['v4-12'];
  const pick = (run) => run?.levels.find((l) => l.services >= 1_000_000);
  const lw = pick(w);
  const ln = pick(n);
  if (lw || ln) {
    say('### 10^6 Services in one Cluster (10.96.0.0/12)');
    say();
    say(
      table(
        ['side', 'Services', 'time to create them', 'memory'],
        [
          ln ? ['native', String(ln.services), `${ln.fill_elapsed_s.toFixed(1)} s`, `${mib(ln.memory.heap_bytes)} live heap`] : null,
          lw
            ? ['wasm (Node)', String(lw.services), `${lw.fill_elapsed_s.toFixed(1)} s`, `${mib(lw.memory.wasm_bytes)} linear memory (RSS ${mib(lw.memory.rss_bytes)}, JS heap ${mib(lw.memory.js_heap_bytes)})`]
            : null,
        ].filter(Boolean),
      ),
    );
    say();
  }
}

// canDelete.
{
  const rows = [];
  for (const label of labelsOf('v4-12')) {
    const n = level(native['v4-12'], label)?.candelete;
    const w = level(wasm['v4-12'], label)?.candelete;
    if (!n && !w) continue;
    const lv = level(native['v4-12'], label) ?? level(wasm['v4-12'], label);
    rows.push([
      String(lv.services + 2),
      n ? f1(n.ordered_median_ns / 1000) : '–',
      n ? f1(n.linear_median_ns / 1000) : '–',
      n ? ratio(n.linear_median_ns, n.ordered_median_ns) : '–',
      f1(n?.api_delete?.median_us),
      f1(w?.median_us),
    ]);
  }
  if (rows.length) {
    say(`### ServiceCIDR deletion: canDelete over N managed IPAddresses (µs)`);
    say();
    say(table(['IPAddresses', 'ordered (native)', 'upstream loop (native)', 'loop/ordered', 'delete request, native', 'delete request, wasm'], rows));
    say();
  }
}

// Allocator: ordered vs linear.
if (alloc) {
  const cases = [...new Set(alloc.allocator.map((r) => r.case))];
  const rows = [];
  for (const c of cases) {
    for (const fill of [...new Set(alloc.allocator.filter((r) => r.case === c).map((r) => r.fill))]) {
      const get = (algo) => alloc.allocator.find((r) => r.case === c && r.fill === fill && r.algo === algo)?.median_ns;
      const o = get('ordered');
      const l = get('linear');
      rows.push([c, c.includes('after') ? '10^6 random' : `${+(fill * 100).toFixed(2)}%`, f1(o), f1(l), ratio(l, o)]);
    }
  }
  say('### AllocateNext alone: ordered run set vs upstream linear scan (native, ns per call)');
  say();
  say(table(['range', 'fill', 'ordered', 'linear scan', 'linear/ordered'], rows));
  say();
  for (const m of alloc.memory ?? []) say(`- ${m}`);
  say();
}

// kubectl.
{
  const rows = [];
  for (const label of labelsOf('v4-12')) {
    const n = level(native['v4-12'], label)?.kubectl;
    const w = level(wasm['v4-12'], label)?.kubectl;
    if (!n && !w) continue;
    const lv = level(native['v4-12'], label) ?? level(wasm['v4-12'], label);
    for (const line of SCENARIOS.kubectlLines) {
      const a = n?.[line];
      const b = w?.[line];
      const cell = (x) => (!x ? '–' : x.skipped ? `n/a (${x.skipped})` : dur(x.median_us));
      rows.push([`kubectl ${line}`, String(lv.services + 2), cell(a), cell(b), a?.bytes ? `${(a.bytes / 1024).toFixed(0)} KiB` : '–']);
    }
  }
  if (rows.length) {
    say('### kubectl tables over N Services (and their IPAddresses)');
    say();
    say(table(['command', 'objects', 'native', 'wasm', 'stdout'], rows));
    say();
  }
}

// Snapshot / restore.
{
  const rows = [];
  for (const [side, run] of [['native', native['v4-16']], ['wasm', wasm['v4-16']]]) {
    const s = run?.levels.find((l) => l.snapshot)?.snapshot;
    if (s) rows.push([side, String(s.objects), `${f1(s.snapshot_ms)} ms`, `${f1(s.stringify_ms)} ms`, `${f1(s.restore_ms)} ms`, `${(s.json_bytes / 2 ** 20).toFixed(1)} MiB`]);
  }
  if (rows.length) {
    say('### snapshot() / Cluster.restore()');
    say();
    say(table(['side', 'objects', 'snapshot()', 'JSON.stringify / serde_json', 'restore()', 'JSON size'], rows));
    say();
  }
}

// Size and instantiate.
if (size) {
  say('### Module size and instantiate (pkg/node)');
  say();
  const budgets = JSON.parse(readFileSync(`${ROOT}bench/size-budget.json`, 'utf8'));
  const budget = budgets.modules.node;
  say(
    table(
      ['raw', 'gzip -9', 'brotli 11', `gzip budget (+${budgets.tolerance * 100}%)`, 'compile', 'require()', 'first new Cluster()', 'second new Cluster()'],
      [
        [
          `${size.raw} B`,
          `${size.gzip} B`,
          `${size.brotli} B`,
          `${budget.gzipBytes} B (${Math.floor(budget.gzipBytes * (1 + budgets.tolerance))} B)`,
          inst ? `${f1(inst.compile_ms)} ms` : '–',
          inst ? `${f1(inst.require_ms)} ms` : '–',
          inst ? `${f1(inst.first_cluster_ms)} ms` : '–',
          inst ? `${f1(inst.second_cluster_ms)} ms` : '–',
        ],
      ],
    ),
  );
  say();
  if (inst) say(`(medians of ${inst.processes} fresh Node processes)`);
  say();
}

const text = out.join('\n');
mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}/summary.md`, text + '\n');
writeFileSync(`${OUT}/results.json`, JSON.stringify({ env, size, instantiate: inst, growth, native, wasm, allocator: alloc }, null, 1) + '\n');
writeFileSync(`${OUT}/fill-cost.svg`, chartSvg({ native, wasm, alloc, env }));
console.log(text);
console.log(`summary: wrote ${OUT}/summary.md, results.json, fill-cost.svg`);
