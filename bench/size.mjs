// Module size (raw, gzip -9, brotli 11) and the size budget the tests hold.
//   node bench/size.mjs                  print the sizes of pkg/node's .wasm and JS glue
//   node bench/size.mjs --update-budget  record the current gzip size in bench/size-budget.json
// tests/node/size-budget.test.mjs fails when the gzip size exceeds the budget by more than
// its tolerance; raise the budget on purpose (with this command) when a feature is worth it.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUDGET_FILE = `${ROOT}bench/size-budget.json`;
export const WASM = 'pkg/node/servicecidr_sim_bg.wasm';

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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = [WASM, 'pkg/node/servicecidr_sim.js', 'pkg/web/servicecidr_sim_bg.wasm', 'pkg/web/servicecidr_sim.js'];
  const rows = files.map(sizes);
  for (const r of rows) console.log(`${r.file}: raw ${r.raw} B, gzip -9 ${r.gzip} B, brotli 11 ${r.brotli} B`);
  if (process.argv.includes('--update-budget')) {
    const budget = {
      about: 'gzip -9 bytes of pkg/node/servicecidr_sim_bg.wasm (release build + wasm-opt -Oz); tests/node/size-budget.test.mjs allows this much plus tolerance. Update with: node bench/size.mjs --update-budget',
      file: WASM,
      gzipBytes: rows[0].gzip,
      tolerance: 0.1,
      recorded: new Date().toISOString().slice(0, 10),
    };
    writeFileSync(BUDGET_FILE, JSON.stringify(budget, null, 2) + '\n');
    console.log(`size budget: ${budget.gzipBytes} B gzip recorded in bench/size-budget.json`);
  }
}
