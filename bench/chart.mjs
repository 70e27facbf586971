// Cost per call against fill level as a small, dependency-free SVG.
// x: fill on a "nines" scale (-log10 of the free fraction), so 90%, 99%, 99.9% and 99.99%
// are evenly spaced; y: median time per call on a log scale, so a Service create (µs) and
// the allocator alone (ns up to ms for the linear scan) share one picture.

const W = 760;
const H = 430;
const M = { left: 64, right: 34, top: 46, bottom: 118 };
const X_MAX = 4; // 99.99 %
const Y_MIN = -2; // 10^-2 µs = 10 ns
const Y_MAX = 4; // 10^4 µs = 10 ms

const nines = (f) => Math.min(X_MAX, -Math.log10(Math.max(1 - f, 10 ** -X_MAX)));
const px = (x) => M.left + (x / X_MAX) * (W - M.left - M.right);
const py = (us) => {
  const l = Math.min(Y_MAX, Math.max(Y_MIN, Math.log10(us)));
  return M.top + ((Y_MAX - l) / (Y_MAX - Y_MIN)) * (H - M.top - M.bottom);
};
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function createSeries(run, kind) {
  return (run?.levels ?? [])
    .filter((l) => l[kind])
    .map((l) => [l.fill, l[kind].median_us])
    .sort((a, b) => a[0] - b[0]);
}

function allocSeries(alloc, cidr, algo) {
  return (alloc?.allocator ?? [])
    .filter((r) => r.case === cidr && r.algo === algo)
    .map((r) => [r.fill, r.median_ns / 1000])
    .sort((a, b) => a[0] - b[0]);
}

export function chartSvg({ native, wasm, alloc, env }) {
  const series = [
    { name: 'Service create, /12, wasm (Node)', color: '#1f77b4', dash: '', pts: createSeries(wasm['v4-12'], 'dynamic') },
    { name: 'Service create, /12, native', color: '#2ca02c', dash: '', pts: createSeries(native['v4-12'], 'dynamic') },
    { name: 'Service create, /16, wasm (Node)', color: '#1f77b4', dash: '6 4', pts: createSeries(wasm['v4-16'], 'dynamic') },
    { name: 'Service create, /16, native', color: '#2ca02c', dash: '6 4', pts: createSeries(native['v4-16'], 'dynamic') },
    { name: 'AllocateNext /12, ordered runs', color: '#9467bd', dash: '', pts: allocSeries(alloc, '10.96.0.0/12', 'ordered') },
    { name: 'AllocateNext /12, upstream linear scan', color: '#d62728', dash: '', pts: allocSeries(alloc, '10.96.0.0/12', 'linear') },
    { name: 'AllocateNext /16, ordered runs', color: '#9467bd', dash: '6 4', pts: allocSeries(alloc, '10.96.0.0/16', 'ordered') },
    { name: 'AllocateNext /16, upstream linear scan', color: '#d62728', dash: '6 4', pts: allocSeries(alloc, '10.96.0.0/16', 'linear') },
  ].filter((s) => s.pts.length);

  const g = [];
  g.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  g.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  g.push(`<text x="${M.left}" y="20" font-size="15" font-weight="bold">Cost per call as the Service range fills (medians, log scale)</text>`);
  g.push(`<text x="${M.left}" y="36" fill="#555">${esc(`${env.date.slice(0, 10)} · ${env.nproc} cores, ${env.cpu} · ${env.node} · commit ${env.commit}`)}</text>`);
  // grid + y axis (decades)
  for (let e = Y_MIN; e <= Y_MAX; e++) {
    const y = py(10 ** e);
    const label = e < 0 ? `${10 ** (e + 3)} ns` : e < 3 ? `${10 ** e} µs` : `${10 ** (e - 3)} ms`;
    g.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`);
    g.push(`<text x="${M.left - 6}" y="${y + 4}" text-anchor="end" fill="#333">${label}</text>`);
  }
  // x axis
  for (const [f, label] of [[0, '0%'], [0.5, '50%'], [0.9, '90%'], [0.99, '99%'], [0.999, '99.9%'], [0.9999, '99.99%']]) {
    const x = px(nines(f));
    g.push(`<line x1="${x}" x2="${x}" y1="${M.top}" y2="${H - M.bottom}" stroke="#e4e4e4"/>`);
    g.push(`<text x="${x}" y="${H - M.bottom + 16}" text-anchor="middle" fill="#333">${label}</text>`);
  }
  g.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - M.bottom + 34}" text-anchor="middle" fill="#333">fill level of the Service range (taken / usable addresses)</text>`);
  g.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#999"/>`);
  // series
  for (const s of series) {
    const pts = s.pts.map(([f, us]) => `${px(nines(f)).toFixed(1)},${py(us).toFixed(1)}`);
    g.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''}/>`);
    for (const p of pts) {
      const [x, y] = p.split(',');
      g.push(`<circle cx="${x}" cy="${y}" r="2.5" fill="${s.color}"/>`);
    }
  }
  // legend, two columns under the axis
  series.forEach((s, i) => {
    const col = i % 2;
    const row = Math.floor(i / 2);
    const x = M.left + col * 340;
    const y = H - M.bottom + 54 + row * 16;
    g.push(`<line x1="${x}" x2="${x + 26}" y1="${y - 4}" y2="${y - 4}" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''}/>`);
    g.push(`<text x="${x + 32}" y="${y}" fill="#222">${esc(s.name)}</text>`);
  });
  g.push('</svg>');
  return g.join('\n') + '\n';
}
