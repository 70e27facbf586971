// Range maps: one per CIDR of every ServiceCIDR. Small ranges (≤ 4096 addresses)
// get one cell per address; bigger ones a 256-bucket heat map that zooms into a
// bucket until one cell is one address again. All address math is BigInt.

import { describePrefix, formatIP, inPrefix, parseCIDR, parseIP, sizeText, V4 } from './ip.js';
import { t } from './i18n.js';

const CELL_LIMIT = 4096n;
const BUCKETS = 256n;
const FLASH_MS = 1800;

/** A stable hue per Service, so one Service keeps its colour in every map. */
export function serviceHue(key) {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  // Golden-angle spread of the hash keeps neighbours apart.
  return Math.round(((h >>> 0) * 137.508) % 360);
}

/** parentRef as kubectl prints it: resource[.group][/namespace]/name. */
export function parentRefText(ref) {
  if (!ref) return '<none>';
  const res = (ref.resource ?? '').toLowerCase() + (ref.group ? `.${ref.group.toLowerCase()}` : '');
  return `${res}${ref.namespace ? `/${ref.namespace}` : ''}/${ref.name ?? ''}`;
}

/** Who owns an IPAddress: {svcKey, service|null} for Service refs, else null. */
export function ownerOf(ipObj, services) {
  const ref = ipObj?.spec?.parentRef;
  if (!ref || ref.group || ref.resource !== 'services') return null;
  const key = `${ref.namespace ?? ''}/${ref.name ?? ''}`;
  return { svcKey: key, service: services.get(key) ?? null };
}

/** Black or white, whichever reads better on hsl(hue, 62%, 52%) (the light theme's fill). */
export function inkFor(hue) {
  const s = 0.62;
  const l = 0.52;
  const f = (n) => {
    const k = (n + hue / 30) % 12;
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * f(0) + 0.7152 * f(8) + 0.0722 * f(4);
  // Contrast against black is (lum + 0.05) / 0.05, against white 1.05 / (lum + 0.05).
  return (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) ? '#000' : '#fff';
}

function colsFor(size) {
  if (size <= 16n) return 16;
  if (size <= 1024n) return 32;
  return 64;
}

export class RangeMaps {
  constructor(root, tooltip) {
    this.root = root;
    this.tooltip = tooltip;
    this.maps = new Map(); // key -> state
    this.flash = new Map(); // ip name -> expiry ms
    this.model = null;
  }

  /** Marks freshly allocated IPs; the next paint highlights them briefly. */
  flashIPs(names) {
    const until = performance.now() + FLASH_MS;
    for (const n of names) this.flash.set(n, until);
    if (names.length) {
      clearTimeout(this.flashTimer);
      this.flashTimer = setTimeout(() => this.model && this.paintAll(), FLASH_MS + 50);
    }
  }

  /**
   * model: { cidrs: ServiceCIDR[], ips: Map<name, IPAddress>, services: Map<ns/name, Service> }
   */
  update(model) {
    this.model = model;
    // Parsed IPAddresses, per family, for range queries.
    this.ipIndex = [];
    for (const [name, obj] of model.ips) {
      const p = parseIP(name);
      if (p) this.ipIndex.push({ ...p, name, obj });
    }
    this.ipIndex.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));

    const entries = [];
    for (const sc of model.cidrs) {
      for (const c of sc.spec?.cidrs ?? []) {
        const p = parseCIDR(c);
        entries.push({ key: `${sc.metadata.name}|${c}`, sc, cidr: c, prefix: p ? describePrefix(p) : null });
      }
    }
    this.entries = entries;
    const keep = new Set(entries.map((e) => e.key));
    for (const [key, st] of this.maps) {
      if (!keep.has(key)) {
        st.el.remove();
        this.maps.delete(key);
      }
    }
    let prev = null;
    for (const e of entries) {
      let st = this.maps.get(e.key);
      if (!st) {
        st = this.createMap(e);
        this.maps.set(e.key, st);
      }
      st.entry = e;
      // Keep DOM order equal to list order.
      const want = prev ? prev.nextSibling : this.root.firstChild;
      if (st.el !== want) this.root.insertBefore(st.el, want);
      prev = st.el;
    }
    if (!entries.length) {
      if (!this.empty) {
        this.empty = document.createElement('p');
        this.empty.className = 'empty';
      }
      this.empty.textContent = t('noServiceCIDRs');
      this.root.append(this.empty);
    } else if (this.empty) this.empty.remove();
    this.paintAll();
  }

  paintAll() {
    const now = performance.now();
    for (const [k, until] of this.flash) if (until < now) this.flash.delete(k);
    for (const st of this.maps.values()) this.paint(st);
  }

  createMap(e) {
    const el = document.createElement('article');
    el.className = 'map';
    el.dataset.sc = e.sc.metadata.name;
    el.dataset.cidr = e.cidr;
    const head = document.createElement('header');
    const h = document.createElement('h3');
    const name = document.createElement('span');
    name.className = 'sc-name';
    const code = document.createElement('code');
    h.append(name, ' ', code);
    const chips = document.createElement('span');
    chips.className = 'chips';
    head.append(h, chips);
    const meta = document.createElement('p');
    meta.className = 'map-meta';
    const crumbs = document.createElement('nav');
    crumbs.className = 'crumbs';
    const grid = document.createElement('div');
    grid.className = 'grid';
    grid.setAttribute('role', 'grid');
    const info = document.createElement('p');
    info.className = 'cellinfo';
    info.setAttribute('aria-live', 'polite');
    el.append(head, meta, crumbs, grid, info);
    const st = { el, name, code, chips, meta, crumbs, grid, info, entry: e, views: [], built: null, active: 0, cells: [] };
    grid.addEventListener('keydown', (ev) => this.onKey(st, ev));
    grid.addEventListener('focusin', (ev) => {
      const i = st.cells.indexOf(ev.target);
      if (i >= 0) this.setActive(st, i, false);
    });
    grid.addEventListener('mouseover', (ev) => {
      const i = st.cells.indexOf(ev.target);
      if (i >= 0) this.describe(st, i, ev.target);
    });
    grid.addEventListener('mouseleave', () => this.hideTip());
    grid.addEventListener('focusout', () => this.hideTip());
    grid.addEventListener('click', (ev) => {
      const i = st.cells.indexOf(ev.target);
      if (i < 0) return;
      this.setActive(st, i, true);
      if (st.mode === 'buckets') this.zoomIn(st, i);
    });
    return st;
  }

  view(st) {
    const p = st.entry.prefix;
    return st.views[st.views.length - 1] ?? { start: p.base, size: p.size };
  }

  paint(st) {
    const e = st.entry;
    const p = e.prefix;
    st.name.textContent = e.sc.metadata.name;
    st.code.textContent = e.cidr;
    st.el.dataset.sc = e.sc.metadata.name;
    this.paintChips(st);
    if (!p) {
      st.meta.textContent = t('badCIDR');
      st.grid.textContent = '';
      st.cells = [];
      return;
    }
    // A view that no longer fits (prefix changed) falls back to the whole range.
    st.views = st.views.filter((v) => v.start >= p.base && v.start + v.size <= p.base + p.size);
    const v = this.view(st);
    st.mode = v.size <= CELL_LIMIT ? 'cells' : 'buckets';
    const viewKey = `${p.text}|${v.start}|${v.size}`;
    if (st.built !== viewKey) this.build(st, v);
    st.built = viewKey;

    const others = this.entries.filter((o) => o.key !== e.key && o.prefix && o.prefix.family === p.family);
    const inView = this.ipIndex.filter((x) => x.family === p.family && x.value >= v.start && x.value < v.start + v.size);
    const inPrefixCount = this.ipIndex.filter((x) => inPrefix(p, x.family, x.value) && x.value !== p.base).length;
    st.meta.textContent = this.metaText(p, inPrefixCount);
    this.paintCrumbs(st, p);
    if (st.mode === 'cells') this.paintCells(st, p, v, inView, others);
    else this.paintBuckets(st, p, v, inView, others);
  }

  metaText(p, used) {
    const f = (x) => formatIP(p.family, x);
    const parts = [t('mapSize', { size: sizeText(p.size) })];
    if (!p.allocates) parts.push(t('noAllocator'));
    else if (p.offset > 0n) {
      parts.push(t('mapStatic', { from: f(p.first), to: f(p.staticEnd) }));
      parts.push(t('mapDynamic', { from: f(p.first + p.offset), to: f(p.lastUsable) }));
    } else parts.push(t('mapNoBands', { from: f(p.first), to: f(p.lastUsable) }));
    parts.push(t('mapUsed', { n: used }));
    return parts.join(' · ');
  }

  paintChips(st) {
    const sc = st.entry.sc;
    st.chips.textContent = '';
    const ready = (sc.status?.conditions ?? []).find((c) => c.type === 'Ready');
    const chip = (cls, text) => {
      const s = document.createElement('span');
      s.className = `chip ${cls}`;
      s.textContent = text;
      st.chips.append(s);
    };
    if (sc.metadata.deletionTimestamp) chip('term', t('terminating'));
    if (ready) chip(ready.status === 'True' ? 'ok' : 'bad', `Ready=${ready.status}`);
  }

  paintCrumbs(st, p) {
    st.crumbs.textContent = '';
    if (p.size <= CELL_LIMIT) {
      st.crumbs.hidden = true;
      return;
    }
    st.crumbs.hidden = false;
    const all = [{ start: p.base, size: p.size }, ...st.views];
    all.forEach((v, i) => {
      if (i) st.crumbs.append(' › ');
      const len = p.bits - log2(v.size);
      const label = `${formatIP(p.family, v.start)}/${len}`;
      if (i === all.length - 1) {
        const s = document.createElement('span');
        s.textContent = label;
        s.setAttribute('aria-current', 'true');
        st.crumbs.append(s);
      } else {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'link';
        b.textContent = label;
        b.addEventListener('click', () => {
          st.views = st.views.slice(0, i);
          this.paint(st);
          this.focusActive(st);
        });
        st.crumbs.append(b);
      }
    });
    const hint = document.createElement('span');
    hint.className = 'hint';
    hint.textContent = st.mode === 'buckets' ? t('zoomHint') : t('zoomOutHint');
    st.crumbs.append(' ', hint);
  }

  build(st, v) {
    const n = st.mode === 'cells' ? Number(v.size) : Number(BUCKETS);
    const cols = st.mode === 'cells' ? colsFor(v.size) : 32;
    st.grid.textContent = '';
    st.grid.style.setProperty('--cols', cols);
    st.grid.classList.toggle('big', st.mode === 'cells' && v.size <= 16n);
    st.grid.classList.toggle('buckets', st.mode === 'buckets');
    const label = `${st.entry.sc.metadata.name} ${st.entry.cidr}`;
    st.grid.setAttribute('aria-label', t(st.mode === 'cells' ? 'gridLabel' : 'heatLabel', { what: label }));
    st.cells = [];
    const frag = document.createDocumentFragment();
    let row = null;
    const p = st.entry.prefix;
    const bsize = st.mode === 'cells' ? 1n : v.size / BUCKETS;
    for (let i = 0; i < n; i++) {
      if (i % cols === 0) {
        row = document.createElement('div');
        row.setAttribute('role', 'row');
        frag.append(row);
      }
      const c = document.createElement('div');
      c.setAttribute('role', 'gridcell');
      c.tabIndex = -1;
      const addr = v.start + BigInt(i) * bsize;
      c.dataset.ip = formatIP(p.family, addr);
      if (st.mode === 'cells' && v.size <= 16n) c.textContent = lastPart(c.dataset.ip, p.family);
      row.append(c);
      st.cells.push(c);
    }
    st.grid.append(frag);
    st.active = Math.min(st.active, n - 1);
    st.cells[st.active].tabIndex = 0;
  }

  paintCells(st, p, v, inView, others) {
    const byValue = new Map(inView.map((x) => [x.value, x]));
    const services = this.model.services;
    for (let i = 0; i < st.cells.length; i++) {
      const addr = v.start + BigInt(i);
      const c = st.cells[i];
      let cls = 'cell';
      if (addr === p.base) cls += ' net';
      else if (p.family === V4 && addr === p.last) cls += ' bcast';
      else if (p.offset > 0n && addr <= p.staticEnd) cls += ' st';
      else cls += ' dy';
      if (others.some((o) => inPrefix(o.prefix, p.family, addr))) cls += ' sh';
      const x = byValue.get(addr);
      if (x) {
        cls += ' al';
        const own = ownerOf(x.obj, services);
        if (!own || !own.service) cls += ' or';
        const hue = own ? serviceHue(own.svcKey) : 0;
        c.style.setProperty('--h', hue);
        c.style.color = inkFor(hue);
        if (this.flash.has(x.name)) cls += ' fl';
      } else {
        c.style.removeProperty('--h');
        c.style.removeProperty('color');
      }
      if (c.className !== cls) c.className = cls;
    }
  }

  paintBuckets(st, p, v, inView, others) {
    const bsize = v.size / BUCKETS;
    const counts = new Array(Number(BUCKETS)).fill(0);
    const flashed = new Set();
    for (const x of inView) {
      const j = Number((x.value - v.start) / bsize);
      counts[j]++;
      if (this.flash.has(x.name)) flashed.add(j);
    }
    st.counts = counts;
    const staticFrom = p.first;
    const staticTo = p.staticEnd;
    for (let j = 0; j < st.cells.length; j++) {
      const lo = v.start + BigInt(j) * bsize;
      const hi = lo + bsize - 1n;
      let cls = 'cell bk';
      if (lo <= p.base && p.base <= hi) cls += ' net';
      if (p.family === V4 && lo <= p.last && p.last <= hi) cls += ' bcast';
      cls += p.offset > 0n && lo <= staticTo && hi >= staticFrom ? ' st' : ' dy';
      if (others.some((o) => o.prefix.base <= hi && lo < o.prefix.base + o.prefix.size)) cls += ' sh';
      const n = counts[j];
      if (n) cls += ` al heat${n >= 64 ? 4 : n >= 16 ? 3 : n >= 4 ? 2 : 1}`;
      if (flashed.has(j)) cls += ' fl';
      if (st.cells[j].className !== cls) st.cells[j].className = cls;
    }
  }

  /** The text shown for a cell (tooltip, info line and aria-label). */
  cellText(st, i) {
    const p = st.entry.prefix;
    const v = this.view(st);
    const f = (x) => formatIP(p.family, x);
    if (st.mode === 'buckets') {
      const bsize = v.size / BUCKETS;
      const lo = v.start + BigInt(i) * bsize;
      const len = p.bits - log2(bsize);
      const n = st.counts?.[i] ?? 0;
      const listed = this.ipIndex
        .filter((x) => x.family === p.family && x.value >= lo && x.value < lo + bsize)
        .slice(0, 3)
        .map((x) => x.name);
      let s = t('bucketInfo', { cidr: `${f(lo)}/${len}`, n, size: sizeText(bsize) });
      if (listed.length) s += ` — ${listed.join(', ')}${n > listed.length ? ' …' : ''}`;
      return s;
    }
    const addr = v.start + BigInt(i);
    const ip = f(addr);
    let role;
    if (addr === p.base) role = t('roleNetwork');
    else if (p.family === V4 && addr === p.last) role = t('roleBroadcast');
    else if (p.offset > 0n && addr <= p.staticEnd) role = t('roleStatic');
    else role = t('roleDynamic');
    const parts = [`${ip} — ${role}`];
    const obj = this.model.ips.get(ip);
    if (obj) {
      parts.push(t('ipInfo', { name: obj.metadata.name, ref: parentRefText(obj.spec?.parentRef) }));
      const own = ownerOf(obj, this.model.services);
      if (own?.service) {
        const s = own.service.spec ?? {};
        parts.push(t('svcInfo', { svc: own.svcKey, type: s.type ?? 'ClusterIP', ips: (s.clusterIPs ?? []).join(', ') }));
      } else if (own) parts.push(t('svcMissing', { svc: own.svcKey }));
      else parts.push(t('notAService'));
    } else parts.push(t('free'));
    const shared = this.entries
      .filter((o) => o.key !== st.entry.key && o.prefix && inPrefix(o.prefix, p.family, addr))
      .map((o) => `${o.sc.metadata.name} (${o.cidr})`);
    if (shared.length) parts.push(t('alsoIn', { list: shared.join(', ') }));
    return parts.join(' · ');
  }

  describe(st, i, cell) {
    const text = this.cellText(st, i);
    st.info.textContent = text;
    this.showTip(cell, text);
    return text;
  }

  setActive(st, i, focus) {
    if (!st.cells.length) return;
    i = Math.max(0, Math.min(st.cells.length - 1, i));
    const old = st.cells[st.active];
    if (old) old.tabIndex = -1;
    st.active = i;
    const c = st.cells[i];
    c.tabIndex = 0;
    const text = this.describe(st, i, c);
    c.setAttribute('aria-label', text);
    if (focus && document.activeElement !== c) c.focus();
  }

  focusActive(st) {
    st.cells[st.active]?.focus();
  }

  onKey(st, ev) {
    const cols = Number(st.grid.style.getPropertyValue('--cols')) || 32;
    const i = st.active;
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -cols, ArrowDown: cols };
    if (ev.key in moves) {
      ev.preventDefault();
      this.setActive(st, i + moves[ev.key], true);
    } else if (ev.key === 'Home') {
      ev.preventDefault();
      this.setActive(st, ev.ctrlKey ? 0 : i - (i % cols), true);
    } else if (ev.key === 'End') {
      ev.preventDefault();
      this.setActive(st, ev.ctrlKey ? st.cells.length - 1 : i - (i % cols) + cols - 1, true);
    } else if ((ev.key === 'Enter' || ev.key === ' ') && st.mode === 'buckets') {
      ev.preventDefault();
      this.zoomIn(st, i);
    } else if ((ev.key === 'Escape' || ev.key === 'Backspace') && st.views.length) {
      ev.preventDefault();
      st.views.pop();
      this.paint(st);
      this.setActive(st, 0, true);
    }
  }

  zoomIn(st, i) {
    const v = this.view(st);
    const bsize = v.size / BUCKETS;
    st.views.push({ start: v.start + BigInt(i) * bsize, size: bsize });
    st.active = 0;
    this.paint(st);
    this.setActive(st, 0, true);
  }

  showTip(cell, text) {
    const tip = this.tooltip;
    tip.textContent = text;
    tip.hidden = false;
    const r = cell.getBoundingClientRect();
    const w = Math.min(360, window.innerWidth - 16);
    tip.style.maxWidth = `${w}px`;
    let x = r.left + r.width / 2 - tip.offsetWidth / 2;
    x = Math.max(8, Math.min(window.innerWidth - tip.offsetWidth - 8, x));
    let y = r.bottom + 6;
    if (y + tip.offsetHeight > window.innerHeight - 8) y = r.top - tip.offsetHeight - 6;
    tip.style.left = `${x + window.scrollX}px`;
    tip.style.top = `${y + window.scrollY}px`;
  }

  hideTip() {
    this.tooltip.hidden = true;
  }

  /** Re-labels everything after a language switch. */
  relabel() {
    for (const st of this.maps.values()) st.built = null;
    if (this.model) this.update(this.model);
  }
}

function log2(size) {
  let n = 0;
  while ((1n << BigInt(n)) < size) n++;
  return n;
}

function lastPart(ip, family) {
  if (family === V4) return `.${ip.split('.').pop()}`;
  const tail = ip.split(':').pop();
  return `:${tail}`;
}
