// The built package loads every way it is documented to: pkg/node via require and import,
// pkg/web via initSync in Node, and the package.json exports map for both conditions.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, mkdtempSync, mkdirSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG = fileURLToPath(new URL('../../pkg/', import.meta.url));
const require = createRequire(import.meta.url);
const NOW = '2023-10-12T15:00:00Z';

// Something every loading path must agree on, whatever state the core is in.
const probe = (Cluster) => {
  const c = new Cluster({ seed: 7, now: NOW });
  try {
    c.get('servicecidr', 'kubernetes');
  } catch (e) {
    assert.ok(e instanceof Error && typeof e.code === 'number', 'errors cross the boundary');
  }
  return JSON.stringify(c.snapshot());
};

test('pkg/node: require() works and the module is ready at once', () => {
  const { Cluster } = require('../../pkg/node/servicecidr_sim.js');
  assert.equal(typeof Cluster, 'function');
  assert.equal(typeof Cluster.restore, 'function');
  probe(Cluster);
});

test('pkg/node: import works (named export from CommonJS)', async () => {
  const { Cluster } = await import('../../pkg/node/servicecidr_sim.js');
  assert.equal(typeof Cluster, 'function');
  probe(Cluster);
});

test('pkg/web in Node: initSync({ module: bytes }) then the same Cluster', async () => {
  const web = await import('../../pkg/web/servicecidr_sim.js');
  const bytes = readFileSync(join(PKG, 'web/servicecidr_sim_bg.wasm'));
  web.initSync({ module: bytes });
  const node = require('../../pkg/node/servicecidr_sim.js');
  assert.equal(probe(web.Cluster), probe(node.Cluster), 'web and node builds behave the same');
  const c = new web.Cluster({ seed: 7, now: NOW });
  c.free();
});

test('pkg/web: the async default init accepts the bytes too', async () => {
  const web = await import('../../pkg/web/servicecidr_sim.js?async');
  const bytes = readFileSync(join(PKG, 'web/servicecidr_sim_bg.wasm'));
  await web.default({ module_or_path: bytes });
  assert.equal(typeof new web.Cluster({ seed: 1, now: NOW }).snapshot, 'function');
});

test('package.json exports: require and import of "servicecidr-sim" resolve', (t) => {
  const pkg = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'servicecidr-sim');
  const dir = mkdtempSync(join(tmpdir(), 'scs-consumer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(PKG, join(dir, 'node_modules', 'servicecidr-sim'), 'dir');
  writeFileSync(
    join(dir, 'cjs.cjs'),
    `const { Cluster } = require('servicecidr-sim');
     console.log(typeof Cluster, require.resolve('servicecidr-sim'));`,
  );
  writeFileSync(
    join(dir, 'esm.mjs'),
    `import { Cluster } from 'servicecidr-sim';
     import * as web from 'servicecidr-sim/web';
     console.log(typeof Cluster, import.meta.resolve('servicecidr-sim'), typeof web.initSync);`,
  );
  const run = (f) => execFileSync(process.execPath, [f], { cwd: dir, encoding: 'utf8' }).trim();
  assert.match(run('cjs.cjs'), /^function .*\/node\/servicecidr_sim\.js$/);
  // Node picks the "node" condition for import as well: ready on load, no init needed.
  assert.match(run('esm.mjs'), /^function file:.*\/node\/servicecidr_sim\.js function$/);
});

test('public TypeScript surface has no `any`', () => {
  for (const f of ['node/servicecidr_sim.d.ts', 'web/servicecidr_sim.d.ts']) {
    const dts = readFileSync(join(PKG, f), 'utf8');
    const hits = dts.split('\n').filter((l) => /\bany\b/.test(l) && !/^\s*(\*|\/\/)/.test(l));
    assert.deepEqual(hits, [], f);
    for (const name of ['ClusterOptions', 'Service', 'ServiceCIDR', 'IPAddress', 'Status', 'ClusterError', 'CommandResult']) {
      assert.match(dts, new RegExp(`export (interface|type) ${name}\\b`), `${f} declares ${name}`);
    }
  }
});
