// The terminal: an input line that runs scripts through cluster.run(), an output
// log with per-command blocks (stderr lines marked), history and tab completion.
// Everything printed goes through textContent: output may echo user input.

import { t } from './i18n.js';

const MAX_BLOCKS = 300;
/**
 * Lines drawn per block. A loop over 10 000 Services prints 10 000 lines; laying out all of
 * them on every slice would freeze the page, so a block keeps its last lines, says how many
 * it dropped, and its Copy button still copies everything.
 */
export const MAX_LINES = 500;

/** Does the script still wait for a here-document body (cat <<EOF without its EOF line)? */
export function heredocOpen(script) {
  const lines = script.split('\n');
  const pending = [];
  for (const line of lines) {
    if (pending.length) {
      const want = pending[0];
      const body = want.strip ? line.replace(/^\t+/, '') : line;
      if (body === want.word) pending.shift();
      continue;
    }
    const re = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
    let m;
    while ((m = re.exec(line))) pending.push({ strip: m[1] === '-', word: m[3] });
  }
  return pending.length > 0;
}

/** Marks which lines of the interleaved output came from stderr (in order). */
export function splitLines(output, stderr) {
  const out = output.endsWith('\n') ? output.slice(0, -1) : output;
  if (out === '') return [];
  const errs = stderr ? stderr.replace(/\n$/, '').split('\n') : [];
  let k = 0;
  return out.split('\n').map((text) => {
    if (k < errs.length && text === errs[k]) {
      k++;
      return { text, err: true };
    }
    return { text, err: false };
  });
}

export class Terminal {
  /**
   * @param {object} o
   * @param {HTMLElement} o.out  output log
   * @param {HTMLTextAreaElement} o.input
   * @param {HTMLElement} o.suggest  where completion candidates are listed
   * @param {(script: string) => void} o.onRun
   * @param {() => boolean} [o.onInterrupt]  Ctrl-C: stops a running script (true when one ran)
   * @param {(line: string) => string[]} o.complete  candidates for the last word of line
   */
  constructor(o) {
    Object.assign(this, o);
    this.history = [];
    this.histPos = 0;
    this.draft = '';
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('input', () => this.autosize());
  }

  setHistory(list) {
    this.history = list.slice();
    this.histPos = this.history.length;
  }

  focus() {
    this.input.focus();
  }

  setEnabled(on) {
    this.input.disabled = !on;
  }

  autosize() {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 240)}px`;
  }

  setInput(text) {
    this.input.value = text;
    this.autosize();
    this.input.setSelectionRange(text.length, text.length);
  }

  onKey(e) {
    const el = this.input;
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey) {
      const text = el.value;
      // Inside an unfinished here-document Enter is just a new line, as in bash.
      if (heredocOpen(text) || /\\$/.test(text)) return;
      e.preventDefault();
      this.clearSuggest();
      if (text.trim() === '') return;
      this.history.push(text);
      this.histPos = this.history.length;
      this.setInput('');
      this.onRun(text);
      return;
    }
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      const before = el.value.slice(0, el.selectionStart);
      const after = el.value.slice(el.selectionEnd);
      const up = e.key === 'ArrowUp';
      // Only at the first/last line, so multi-line scripts can still be edited.
      if (up ? before.includes('\n') : after.includes('\n')) return;
      if (!this.history.length) return;
      e.preventDefault();
      if (this.histPos === this.history.length) this.draft = el.value;
      this.histPos = Math.max(0, Math.min(this.history.length, this.histPos + (up ? -1 : 1)));
      this.setInput(this.histPos === this.history.length ? this.draft : this.history[this.histPos]);
      return;
    }
    if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey) {
      // An empty line lets Tab move focus, so keyboard users are never trapped here.
      if (el.value.trim() === '') return;
      e.preventDefault();
      this.tabComplete();
      return;
    }
    if (e.key === 'Escape') {
      this.clearSuggest();
      return;
    }
    if ((e.key === 'l' || e.key === 'L') && e.ctrlKey) {
      e.preventDefault();
      this.clear();
      return;
    }
    if ((e.key === 'c' || e.key === 'C') && e.ctrlKey && el.selectionStart === el.selectionEnd) {
      e.preventDefault();
      // A script running in slices stops first, as in a real terminal.
      if (this.onInterrupt?.()) return;
      this.note(`$ ${el.value}^C`);
      this.setInput('');
    }
  }

  tabComplete() {
    const el = this.input;
    const caret = el.selectionStart;
    const before = el.value.slice(0, caret);
    const after = el.value.slice(caret);
    const m = /(\S*)$/.exec(before);
    const word = m ? m[1] : '';
    const cands = [...new Set(this.complete(before))].filter((c) => c.startsWith(word)).sort();
    if (!cands.length) {
      this.showSuggest([]);
      return;
    }
    let common = cands[0];
    for (const c of cands) {
      let i = 0;
      while (i < common.length && common[i] === c[i]) i++;
      common = common.slice(0, i);
    }
    let insert = common;
    if (cands.length === 1 && !/[=/]$/.test(common)) insert += ' ';
    const head = before.slice(0, before.length - word.length) + insert;
    el.value = head + after;
    el.setSelectionRange(head.length, head.length);
    this.autosize();
    this.showSuggest(cands.length > 1 ? cands : []);
  }

  showSuggest(list) {
    this.suggest.textContent = '';
    if (!list.length) return;
    const shown = list.slice(0, 40);
    for (const c of shown) {
      const s = document.createElement('span');
      s.textContent = c;
      this.suggest.append(s);
    }
    if (list.length > shown.length) {
      const s = document.createElement('span');
      s.textContent = t('moreCandidates', { n: list.length - shown.length });
      this.suggest.append(s);
    }
  }

  clearSuggest() {
    this.suggest.textContent = '';
  }

  clear() {
    this.out.textContent = '';
  }

  trim() {
    while (this.out.childElementCount > MAX_BLOCKS) this.out.firstElementChild.remove();
  }

  /** Scrolls to the end once per frame, however many blocks and slices came in it. */
  scroll() {
    if (this.scrollQueued) return;
    this.scrollQueued = true;
    requestAnimationFrame(() => {
      this.scrollQueued = false;
      this.out.scrollTop = this.out.scrollHeight;
    });
  }

  /** A command and what it printed. */
  print(cmd, res, { origin } = {}) {
    const run = this.open(cmd, { origin });
    run.add(res);
    run.end(res.exitCode);
    return run.block;
  }

  /**
   * A command whose output arrives in parts (a script run in slices): `add(part)` appends
   * what a slice printed ({ output, stderr }), `end(exitCode)` closes the block. Until then
   * the block is marked `.running` (tests and screen readers wait on it).
   */
  open(cmd, { origin } = {}) {
    const block = document.createElement('div');
    block.className = 'blk running';
    block.setAttribute('aria-busy', 'true');
    const head = document.createElement('div');
    head.className = 'cmd';
    const pre = document.createElement('pre');
    pre.className = 'cmdline';
    pre.textContent = cmd
      .split('\n')
      .map((l, i) => (i === 0 ? `$ ${l}` : `> ${l}`))
      .join('\n');
    head.append(pre);
    if (origin) {
      const o = document.createElement('span');
      o.className = 'origin';
      o.textContent = origin;
      head.append(o);
    }
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'copy small';
    labelled(copy, () => {
      copy.textContent = t('copy');
      copy.setAttribute('aria-label', t('copyOutputOf', { cmd: cmd.split('\n')[0].slice(0, 60) }));
    });
    head.append(copy);
    block.append(head);
    const body = document.createElement('pre');
    body.className = 'output';
    this.out.append(block);
    this.trim();
    // Everything printed so far (for the copy button), and the unfinished last line of each
    // stream: a line is drawn once it is complete, so stderr lines are still told apart.
    let all = '';
    let out = '';
    let err = '';
    // Lines printed, and line elements drawn (at most MAX_LINES, the newest).
    let lines = 0;
    let shown = 0;
    let droppedNote = null;
    const draw = (o, e) => {
      const parsed = splitLines(o, e);
      const fresh = parsed.length > MAX_LINES ? parsed.slice(-MAX_LINES) : parsed;
      for (const { text, err: isErr } of fresh) {
        const line = document.createElement('span');
        line.className = isErr ? 'line err' : 'line';
        line.textContent = `${text}\n`;
        body.append(line);
      }
      lines += parsed.length;
      shown += fresh.length;
      if (shown > MAX_LINES) {
        if (!droppedNote) {
          droppedNote = document.createElement('span');
          droppedNote.className = 'line dropped';
          body.prepend(droppedNote);
        }
        for (; shown > MAX_LINES; shown--) droppedNote.nextSibling.remove();
      }
      if (droppedNote) {
        const n = lines - shown;
        labelled(droppedNote, () => (droppedNote.textContent = `${t('linesDropped', { n })}\n`));
      }
      if (body.childNodes.length && !body.isConnected) block.append(body);
    };
    copy.addEventListener('click', () => {
      copyText(`${cmd}\n${all}`).then(
        () => flashLabel(copy, t('copied')),
        () => flashLabel(copy, t('copyFailed')),
      );
    });
    const terminal = this;
    return {
      block,
      add(part) {
        const o = part.output ?? part.stdout + part.stderr;
        all += o;
        out += o;
        err += part.stderr ?? '';
        const cut = out.lastIndexOf('\n') + 1;
        const ecut = err.lastIndexOf('\n') + 1;
        if (cut > 0) draw(out.slice(0, cut), err.slice(0, ecut));
        out = out.slice(cut);
        err = err.slice(ecut);
        terminal.scroll();
      },
      end(exitCode) {
        if (out) draw(out, err);
        out = err = '';
        block.classList.remove('running');
        block.removeAttribute('aria-busy');
        if (exitCode !== 0) {
          block.classList.add('failed');
          const st = document.createElement('span');
          st.className = 'exit';
          labelled(st, () => (st.textContent = t('exitStatus', { code: exitCode })));
          body.append(st);
          if (!body.isConnected) block.append(body);
        }
        terminal.scroll();
      },
    };
  }

  /**
   * A line that is not a command (clock moves, resets …). `text` may be a function of the
   * current language: then a language switch rewrites the line.
   */
  note(text, cls = 'note') {
    const p = document.createElement('div');
    p.className = `blk ${cls}`;
    if (typeof text === 'function') labelled(p, () => (p.textContent = text()));
    else p.textContent = text;
    this.out.append(p);
    this.trim();
    this.scroll();
  }

  /** Rewrites the page's own words (notes, buttons, exit lines) in the current language. */
  relabel() {
    for (const el of this.out.querySelectorAll('[data-relabel]')) el.relabel?.();
  }
}

/** Sets an element's words now and again on every language switch (Terminal.relabel). */
function labelled(el, apply) {
  el.dataset.relabel = '';
  el.relabel = apply;
  apply();
}

export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.append(ta);
  ta.select();
  const ok = document.execCommand('copy');
  ta.remove();
  if (!ok) throw new Error('copy failed');
}

function flashLabel(btn, text) {
  const old = btn.textContent;
  btn.textContent = text;
  setTimeout(() => {
    btn.textContent = old;
  }, 1200);
}

// ---------- completion ----------

const SHELL_WORDS = ['kubectl', 'for', 'do', 'done', 'echo', 'seq', 'jq', 'cat', 'printf', 'grep', 'wc', 'head', 'tail', 'sort', 'sleep', 'true', 'false', 'if', 'then', 'else', 'fi', 'while', 'export', 'clear', 'help'];
const VERBS = ['get', 'describe', 'create', 'apply', 'delete', 'label', 'annotate', 'api-resources'];
const RESOURCES = ['servicecidrs', 'servicecidr', 'ipaddresses', 'ipaddress', 'ip', 'services', 'service', 'svc', 'events', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'];
const CREATE_KINDS = ['service', 'servicecidr', 'ipaddress'];
const SERVICE_TYPES = ['clusterip', 'nodeport', 'loadbalancer', 'externalname'];
const OUTPUTS = ['json', 'yaml', 'wide', 'name', 'jsonpath='];
const FLAGS = {
  get: ['-o', '--output', '-n', '--namespace', '-A', '--all-namespaces', '-l', '--selector', '--show-labels', '--no-headers'],
  describe: ['-n', '--namespace'],
  delete: ['--wait=false', '-n', '--namespace', '--all', '-f'],
  create: ['--tcp', '--clusterip', '-o', '--output', '-n', '--namespace', '--dry-run=client', '-f', '--external-name'],
  apply: ['-f', '-o', '--output', '-n', '--namespace', '--dry-run=client'],
  label: ['-n', '--namespace', '--overwrite'],
  annotate: ['-n', '--namespace', '--overwrite'],
};

const KIND_OF = {
  servicecidrs: 'sc', servicecidr: 'sc', ipaddresses: 'ip', ipaddress: 'ip', ip: 'ip',
  services: 'svc', service: 'svc', svc: 'svc',
};

/**
 * Candidates for the word being typed at the end of `line`.
 * names(kind, namespace) returns object names of 'sc' | 'ip' | 'svc'.
 */
export function completions(line, names) {
  // Only the current simple command matters: cut at the last separator.
  const seg = line.split(/;|&&|\|\||\||\$\(|`|\bdo\b|\bthen\b|\belse\b|\n/).pop();
  const words = seg.trimStart().split(/\s+/);
  const cur = words.pop() ?? '';
  const strip = (w) => w.replace(/^["']|["']$/g, '');
  const prev = words.map(strip);
  if (prev.length === 0) return SHELL_WORDS;
  if (prev[0] !== 'kubectl') return [];
  const args = prev.slice(1);
  const last = args[args.length - 1];
  if (last === '-o' || last === '--output') return OUTPUTS;
  if (cur.startsWith('-o') && !cur.startsWith('--')) return OUTPUTS.map((o) => `-o${o}`).concat(['-o']);
  if (cur.startsWith('--output=')) return OUTPUTS.map((o) => `--output=${o}`);
  let ns = null;
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-n' || a === '--namespace') {
      ns = args[i + 1] ?? null;
      i++;
    } else if (a.startsWith('--namespace=')) ns = a.slice(12);
    else if (['-o', '--output', '-l', '--selector', '--tcp', '--clusterip', '-f'].includes(a)) i++;
    else if (!a.startsWith('-')) positional.push(a);
  }
  if (last === '-n' || last === '--namespace') return ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
  if (last === '-f') return ['-'];
  const verb = positional[0];
  if (cur.startsWith('-')) return FLAGS[verb] ?? ['-n', '--namespace', '-o', '--output'];
  if (!verb) return VERBS;
  if (verb === 'create') {
    if (positional.length === 1) return CREATE_KINDS;
    if (positional[1] === 'service' && positional.length === 2) return SERVICE_TYPES;
    return [];
  }
  if (['get', 'describe', 'delete', 'label', 'annotate'].includes(verb)) {
    if (positional.length === 1) {
      // resource, or TYPE/NAME form
      const slash = cur.indexOf('/');
      if (slash > 0) {
        const kind = KIND_OF[cur.slice(0, slash)];
        return kind ? names(kind, ns).map((n) => `${cur.slice(0, slash)}/${n}`) : [];
      }
      return RESOURCES;
    }
    const kind = KIND_OF[positional[1]];
    if (kind) return names(kind, ns);
  }
  return [];
}
