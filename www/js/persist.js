// Saving the playground: localStorage for reloads, a compressed URL fragment for
// sharing. Both hold the same thing: settings + the command log, which replays
// deterministically on a fresh Cluster (same seed + same calls => same state), and for an
// imported cluster the export it was built from (the log replays on Cluster.fromObjects).

const STORE_KEY = 'servicecidr-playground/state/v1';
const PREFS_KEY = 'servicecidr-playground/prefs/v1';
export const FORMAT = 1;

function safeStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function loadState() {
  try {
    const raw = safeStorage()?.getItem(STORE_KEY);
    return raw ? validState(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

export function saveState(state) {
  try {
    safeStorage()?.setItem(STORE_KEY, JSON.stringify(state));
  } catch {
    // Storage full or blocked: the page keeps working, only reloads forget.
  }
}

export function clearState() {
  try {
    safeStorage()?.removeItem(STORE_KEY);
  } catch {
    /* nothing to clear */
  }
}

export function loadPrefs() {
  try {
    return JSON.parse(safeStorage()?.getItem(PREFS_KEY) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

export function savePrefs(p) {
  try {
    safeStorage()?.setItem(PREFS_KEY, JSON.stringify(p));
  } catch {
    /* prefs are a convenience */
  }
}

/** Only well-formed states are accepted; anything else (old format, tampering) is ignored. */
export function validState(s) {
  if (!s || typeof s !== 'object' || s.v !== FORMAT) return null;
  const st = s.settings;
  if (!st || typeof st.range !== 'string' || !Number.isFinite(st.seed) || typeof st.start !== 'string') return null;
  if (!Array.isArray(s.log)) return null;
  const log = [];
  for (const e of s.log) {
    if (!Array.isArray(e) || typeof e[0] !== 'string') return null;
    if (e[0] === 'run' && typeof e[1] === 'string') {
      const entry = ['run', e[1], typeof e[2] === 'string' ? e[2] : undefined];
      // A script stopped with Ctrl-C: the steps it ran before the stop.
      if (e[3] !== undefined) {
        if (!Number.isSafeInteger(e[3]?.steps) || e[3].steps < 1) return null;
        entry.push({ steps: e[3].steps });
      }
      log.push(entry);
    }
    else if (e[0] === 'adv' && Number.isFinite(e[1]) && e[1] >= 0) log.push(['adv', e[1]]);
    else if (e[0] === 'settle' || e[0] === 'step') log.push([e[0]]);
    else if (e[0] === 'pause' && typeof e[1] === 'boolean') log.push(['pause', e[1]]);
    // A step of planRangeChange's plan, replayed with runPlanStep (the core checks its fields).
    else if (e[0] === 'plan' && e[1] && typeof e[1] === 'object' && typeof e[1].action === 'string') log.push(['plan', e[1]]);
    else return null;
  }
  const settings = { range: st.range, seed: Math.trunc(st.seed), start: st.start };
  // The release is optional: states saved before the picker existed mean the default one.
  if (st.version !== undefined) {
    if (typeof st.version !== 'string') return null;
    settings.version = st.version;
  }
  // An imported export (Cluster.fromObjects) the log replays on; absent for a new cluster.
  if (s.import !== undefined) {
    if (!s.import || typeof s.import.text !== 'string') return null;
    return { v: FORMAT, settings, log, import: { text: s.import.text, name: typeof s.import.name === 'string' ? s.import.name : null } };
  }
  return { v: FORMAT, settings, log };
}

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s) {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The fragment for a shareable link: #s=<base64url(deflate(JSON))>. */
export async function encodeState(state) {
  const { deflateSync, strToU8 } = await import('../vendor/fflate.js');
  return `s=${toBase64Url(deflateSync(strToU8(JSON.stringify(state)), { level: 9 }))}`;
}

/** The state in a location hash, or null when there is none or it does not decode. */
export async function decodeHash(hash) {
  const m = /^#?s=([A-Za-z0-9_-]+)$/.exec(hash ?? '');
  if (!m) return null;
  try {
    const { inflateSync, strFromU8 } = await import('../vendor/fflate.js');
    return validState(JSON.parse(strFromU8(inflateSync(fromBase64Url(m[1])))));
  } catch {
    return null;
  }
}
