// IP address and prefix arithmetic for the range map, on BigInt so IPv6 /64s
// (2^64 addresses) are exact. Rules follow the allocator: the network address is
// never handed out, nor the IPv4 broadcast; the band split is KEP-3070's.

export const V4 = 'IPv4';
export const V6 = 'IPv6';
const BITS = { IPv4: 32, IPv6: 128 };

/** Parses an IPv4 or IPv6 address; returns {family, value} or null. */
export function parseIP(text) {
  if (typeof text !== 'string') return null;
  const s = text.trim();
  if (s.includes(':')) {
    const v = parseV6(s);
    return v === null ? null : { family: V6, value: v };
  }
  const v = parseV4(s);
  return v === null ? null : { family: V4, value: v };
}

function parseV4(s) {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s) {
  if (s.includes('%')) return null;
  let head = s;
  let tailV4 = null;
  // An embedded IPv4 tail (::ffff:1.2.3.4) supplies the last 32 bits.
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tailV4 = parseV4(s.slice(lastColon + 1));
    if (tailV4 === null) return null;
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (h) => (h === '' ? [] : h.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...left, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== null) v = (v & ~0xffffffffn) | tailV4;
  return v;
}

/** Canonical text: dotted quad, or RFC 5952 for IPv6 (what IPAddress names use). */
export function formatIP(family, value) {
  if (family === V4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  }
  const g = [];
  for (let i = 7; i >= 0; i--) g.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // The longest run of two or more zero groups becomes "::" (the first one on a tie).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a) => a.map((n) => n.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

/** Parses "addr/len"; returns {family, base (masked), len, bits, size} or null. */
export function parseCIDR(text) {
  if (typeof text !== 'string') return null;
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIP(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(lenText)) return null;
  const bits = BITS[ip.family];
  const len = Number(lenText);
  if (len > bits) return null;
  const host = BigInt(bits - len);
  const size = 1n << host;
  const base = (ip.value >> host) << host;
  return { family: ip.family, base, len, bits, size, text: `${formatIP(ip.family, base)}/${len}` };
}

/**
 * KEP-3070 band split: addresses first..first+offset-1 form the static (lower) band,
 * the rest the dynamic (upper) band. offset = clamp(2^hostbits / 16, 16, 256), or 0
 * when the range has 16 addresses or fewer.
 */
export function bandOffset(size) {
  if (size <= 16n) return 0n;
  let o = size / 16n;
  if (o < 16n) o = 16n;
  if (o > 256n) o = 256n;
  return o;
}

/** Everything the map needs to know about one CIDR, as BigInts. */
export function describePrefix(p) {
  const last = p.base + p.size - 1n;
  const first = p.base + 1n;
  // IPv4 drops the broadcast; IPv6 keeps its all-ones address.
  const lastUsable = p.family === V4 ? last - 1n : last;
  const offset = bandOffset(p.size);
  // IPv6 prefixes shorter than /64 get no allocator upstream: nothing is ever handed out.
  const allocates = !(p.family === V6 && p.len < 64) && lastUsable >= first;
  return {
    ...p,
    last,
    first,
    lastUsable,
    offset,
    staticEnd: first + offset - 1n, // inclusive; < first when there is no static band
    allocates,
  };
}

/** Plain range inclusion. */
export function inPrefix(p, family, value) {
  return p.family === family && value >= p.base && value < p.base + p.size;
}

/** The allocator's containment rule: inside, not the network address, not the IPv4 broadcast. */
export function containsServiceIP(p, family, value) {
  if (!inPrefix(p, family, value)) return false;
  if (value === p.base) return false;
  if (p.family === V4 && value === p.base + p.size - 1n) return false;
  return true;
}

/** "2^20" style size text for big ranges, exact digits for small ones. */
export function sizeText(size) {
  if (size <= 65536n) return size.toString();
  let n = 0;
  while ((1n << BigInt(n)) < size) n++;
  return `2^${n}`;
}

/**
 * The smallest prefix that contains every given address (all of one family) without
 * any of them being its network address or IPv4 broadcast: a range a new ServiceCIDR
 * could use to cover them. Returns the CIDR text, or null for an empty list.
 */
export function coveringCIDR(addrs) {
  if (!addrs.length) return null;
  const family = addrs[0].family;
  if (addrs.some((a) => a.family !== family)) return null;
  const bits = BITS[family];
  let len = bits;
  const fits = (l) => {
    const host = BigInt(bits - l);
    const base = (addrs[0].value >> host) << host;
    const p = { family, base, len: l, size: 1n << host };
    return addrs.every((a) => containsServiceIP(p, family, a.value)) ? p : null;
  };
  let p = null;
  while (len >= 0 && !(p = fits(len))) len--;
  return p ? `${formatIP(family, p.base)}/${p.len}` : null;
}
