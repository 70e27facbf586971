// Module sizes (raw, gzip -9, brotli 11) and the size budgets the tests hold.
//   node bench/size.mjs                  print the sizes of pkg/web's and pkg/node's .wasm and JS glue
//   node bench/size.mjs --update-budget  record the current gzip sizes in bench/size-budget.json
// The budget that matters is the web module's (pkg/web/*.wasm: what the playground and the
// docs embed download before their first paint, issue #14); pkg/node keeps its own budget,
// as the two builds may differ. tests/node/size-budget.test.mjs fails when a module's gzip
// size exceeds its budget by more than the tolerance; raise a budget on purpose (with this
// command) when a feature is worth it, and say why in BENCHMARKS.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUDGET_FILE = `${ROOT}bench/size-budget.json`;
/** The module the bench instantiates in Node. */
export const WASM = 'pkg/node/servicecidr_sim_bg.wasm';
/** The budgeted modules, web first. */
export const MODULES = {
  web: 'pkg/web/servicecidr_sim_bg.wasm',
  node: 'pkg/node/servicecidr_sim_bg.wasm',
};
export const TOLERANCE = 0.05;

export function sizes(rel) {
  const bytes = readFileSync(ROOT + rel);
  return {
    file: rel,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

/** The byte limit of a budget entry: the recorded gzip size plus the tolerance. */
export const limitOf = (entry, tolerance) => Math.floor(entry.gzipBytes * (1 + tolerance));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = [MODULES.web, 'pkg/web/servicecidr_sim.js', MODULES.node, 'pkg/node/servicecidr_sim.js'];
  for (const r of files.map(sizes)) console.log(`${r.file}: raw ${r.raw} B, gzip -9 ${r.gzip} B, brotli 11 ${r.brotli} B`);
  if (process.argv.includes('--update-budget')) {
    const recorded = new Date().toISOString().slice(0, 10);
    const budget = {
      about:
        'gzip -9 bytes of the built .wasm modules (release build + wasm-opt -Oz); web is what pages download, node what pkg/node loads. ' +
        'tests/node/size-budget.test.mjs allows each this much plus tolerance. Update with: pkg-scripts/build && node bench/size.mjs --update-budget',
      tolerance: TOLERANCE,
      modules: Object.fromEntries(
        Object.entries(MODULES).map(([name, file]) => [name, { file, gzipBytes: sizes(file).gzip, recorded }]),
      ),
    };
    writeFileSync(BUDGET_FILE, JSON.stringify(budget, null, 2) + '\n');
    for (const [name, m] of Object.entries(budget.modules)) {
      console.log(`size budget ${name}: ${m.gzipBytes} B gzip (limit ${limitOf(m, TOLERANCE)} B) recorded in bench/size-budget.json`);
    }
  }
}
