// Loads bench/scenarios.json and expands a run into its ordered list of levels.
// benches/cluster.rs does the same expansion in Rust (levels_for); keep the two in step.
import { readFileSync } from 'node:fs';

export const SCENARIOS = JSON.parse(readFileSync(new URL('./scenarios.json', import.meta.url), 'utf8'));
export const SEED = SCENARIOS.seed;
export const NOW = SCENARIOS.now;

/** Levels in fill order: { taken, label, tasks }. `used0` is what the fresh cluster already
 * holds (the kubernetes and kube-dns ClusterIPs). A fill level asks for the dynamic and
 * static probes; a count level asks for its own tasks; levels landing on the same count merge. */
export function levelsFor(run, usable, used0, quick) {
  const byTaken = new Map();
  const add = (taken, label, tasks) => {
    const lv = byTaken.get(taken) || { taken, label, tasks: [] };
    if (!byTaken.has(taken)) byTaken.set(taken, lv);
    else lv.label += ` / ${label}`;
    for (const t of tasks) if (!lv.tasks.includes(t)) lv.tasks.push(t);
  };
  for (const f of run.fills) {
    add(Math.max(used0, Math.ceil(f * usable)), `${+(f * 100).toFixed(2)}%`, ['dynamic', 'static']);
  }
  for (const c of run.counts) add(used0 + c.services, `${c.services} svc`, c.tasks);
  const cap = used0 + SCENARIOS.quickMaxServices;
  return [...byTaken.values()]
    .filter((lv) => !quick || lv.taken <= cap)
    .sort((a, b) => a.taken - b.taken);
}
