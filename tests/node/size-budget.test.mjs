// What the modules cost a page or a test suite: their download size against the recorded
// budgets (bench/size-budget.json: the web module, which pages load before their first paint,
// and the node module), and how the heap grows (each wasm memory.grow makes Node run a full
// GC, so the heap must grow in few large steps, not in 64 KiB pages).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { limitOf, MODULES } from '../../bench/size.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const budget = JSON.parse(readFileSync(`${ROOT}bench/size-budget.json`, 'utf8'));

test('size budget file is well-formed: a budget for the web module and one for node', () => {
  assert.deepEqual(Object.keys(budget.modules).sort(), ['node', 'web']);
  for (const [name, m] of Object.entries(budget.modules)) {
    assert.equal(m.file, MODULES[name], `${name} budgets ${MODULES[name]}`);
    assert.ok(Number.isInteger(m.gzipBytes) && m.gzipBytes > 0, `${name}: gzipBytes is a positive integer`);
  }
  assert.ok(budget.tolerance > 0 && budget.tolerance <= 0.1, 'tolerance is a small fraction');
});

for (const name of ['web', 'node']) {
  test(`gzip size of the ${name} module stays within its budget`, () => {
    const m = budget.modules[name];
    const gz = gzipSync(readFileSync(ROOT + m.file), { level: 9 }).length;
    const limit = limitOf(m, budget.tolerance);
    assert.ok(
      gz <= limit,
      `${m.file} is ${gz} B gzipped, over its budget of ${m.gzipBytes} B + ` +
        `${budget.tolerance * 100}% = ${limit} B. Find what grew (BENCHMARKS.md, "Where the web ` +
        `module's bytes go": twiggy, or a build without the new dependency); if it is worth it, ` +
        `record the new size: pkg-scripts/build && node bench/size.mjs --update-budget`,
    );
  });
}

test('the wasm heap grows in few large steps', () => {
  // Reach the instance's memory the way bench/node-bench.mjs does (the glue keeps it private).
  const require = createRequire(import.meta.url);
  const Orig = WebAssembly.Instance;
  let instance = null;
  WebAssembly.Instance = new Proxy(Orig, {
    construct(target, args) {
      instance = Reflect.construct(target, args);
      return instance;
    },
  });
  let Cluster;
  try {
    ({ Cluster } = require('../../pkg/node/servicecidr_sim.js'));
  } finally {
    WebAssembly.Instance = Orig;
  }
  assert.ok(instance, 'this test must be the first to load pkg/node in its process');
  const memory = instance.exports.memory;
  const c = new Cluster({ seed: 1, now: '2024-01-01T00:00:00Z' });
  const start = memory.buffer.byteLength;
  let buffer = memory.buffer;
  let grows = 0;
  const n = 3000;
  for (let i = 0; i < n; i++) {
    c.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s-${i}` }, spec: { ports: [{ port: 80 }] } });
    // A grow detaches the old ArrayBuffer; several grows in one call count once, which
    // only makes the check looser.
    if (memory.buffer !== buffer) {
      grows++;
      buffer = memory.buffer;
    }
  }
  const grown = memory.buffer.byteLength - start;
  assert.ok(grown > 64 * 1024 * 20, `3000 Services should need some MiB (grew ${grown} B)`);
  // dlmalloc alone grows a page or two at a time: ~100 grows here (one per ~30 creates).
  assert.ok(grows <= 20, `memory grew ${grows} times for ${n} Services (${grown} B)`);
  c.free();
});
