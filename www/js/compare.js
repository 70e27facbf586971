// Side by side: one script on two clusters of two releases. Each cluster is built
// fresh with the same range, seed and start time, so every difference in the two
// transcripts comes from the release alone; the lines that differ are marked, and the
// behaviours that differ between the two releases are listed with their upstream change.

import { lang, t } from './i18n.js';
import { EXAMPLES, RELEASES, diffLines, differences } from './releases.js';

const $ = (id) => document.getElementById(id);

export function fillReleaseSelect(sel, value) {
  sel.textContent = '';
  for (const v of RELEASES) {
    const o = document.createElement('option');
    o.value = v;
    o.textContent = v;
    sel.append(o);
  }
  selectRelease(sel, value || RELEASES[0]);
}

/**
 * Selects a release; one the list does not offer (a link's or an embed's "1.33", a saved
 * "1.34.3") joins it rather than leaving the picker blank. The core judges it when used.
 */
export function selectRelease(sel, value) {
  if (value && ![...sel.options].some((o) => o.value === value)) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = value;
    sel.prepend(o);
  }
  sel.value = value;
}

export class Compare {
  /**
   * @param {{ Cluster: any, start: string, seed: number, load: () => object, save: (s: object) => void,
   *   evaluator?: (script: string) => Promise<object | null> }} opts
   * evaluator: the CEL module for a script that writes policies (loaded on first need), or null.
   */
  constructor(opts) {
    this.opts = opts;
    this.last = null;
    const saved = opts.load() ?? {};
    const ex = EXAMPLES[0];
    fillReleaseSelect($('cmp-a'), saved.a ?? ex.a);
    fillReleaseSelect($('cmp-b'), saved.b ?? ex.b);
    $('cmp-range').value = saved.range ?? ex.range;
    $('cmp-script').value = saved.script ?? ex.script;
    $('compare-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.run();
    });
    this.renderExamples();
  }

  renderExamples() {
    const ul = $('cmp-examples');
    ul.textContent = '';
    for (const ex of EXAMPLES) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'small';
      b.dataset.example = ex.id;
      b.textContent = ex[lang()] ?? ex.en;
      b.addEventListener('click', () => {
        selectRelease($('cmp-a'), ex.a);
        selectRelease($('cmp-b'), ex.b);
        $('cmp-range').value = ex.range;
        $('cmp-script').value = ex.script;
        $('cmp-script').rows = Math.min(12, Math.max(4, ex.script.split('\n').length));
        this.run();
      });
      li.append(b);
      ul.append(li);
    }
  }

  settings() {
    return { a: $('cmp-a').value, b: $('cmp-b').value, range: $('cmp-range').value.trim(), script: $('cmp-script').value };
  }

  /** Runs the script on both releases and draws the result. */
  async run() {
    const s = this.settings();
    this.opts.save(s);
    const cel = (await this.opts.evaluator?.(s.script)) ?? null;
    const sides = [];
    for (const version of [s.a, s.b]) {
      let cluster;
      try {
        cluster = new this.opts.Cluster({ serviceClusterIPRange: s.range, seed: this.opts.seed, now: this.opts.start, version });
        if (cel) cluster.setPolicyEvaluator(cel);
        const res = cluster.run(s.script);
        sides.push({ version: cluster.version, text: res.output ?? `${res.stdout ?? ''}${res.stderr ?? ''}` });
      } catch (err) {
        sides.push({ version, text: null, error: err?.message ?? String(err) });
      } finally {
        cluster?.free?.();
      }
    }
    this.last = sides;
    this.render();
  }

  /** Draws the last result in the current language. */
  render() {
    if (!this.last) return;
    const [A, B] = this.last;
    $('cmp-result').hidden = false;
    const la = A.text === null ? [] : A.text.replace(/\n$/, '').split('\n');
    const lb = B.text === null ? [] : B.text.replace(/\n$/, '').split('\n');
    const [fa, fb] = diffLines(la, lb);
    for (const [side, lines, flags, key] of [[A, la, fa, 'a'], [B, lb, fb, 'b']]) {
      $(`cmp-${key}-h`).textContent = t('versionBadge', { version: side.version });
      const pre = $(`cmp-out-${key}`);
      pre.textContent = '';
      if (side.error) {
        const line = document.createElement('span');
        line.className = 'ln err';
        line.textContent = t('cmpFailed', { msg: side.error });
        pre.append(line);
        continue;
      }
      lines.forEach((text, i) => {
        let el;
        if (flags[i]) {
          // Marked for the eye and named for a screen reader (the colour alone says nothing).
          el = document.createElement('mark');
          el.className = 'ln diff';
          el.title = t('onlyIn', { version: side.version });
          const vh = document.createElement('span');
          vh.className = 'vh';
          vh.textContent = `${t('differs')}: `;
          el.append(vh, text);
        } else {
          el = document.createElement('span');
          el.className = 'ln';
          el.textContent = text;
        }
        pre.append(el);
      });
    }
    const n = fa.filter(Boolean).length + fb.filter(Boolean).length;
    $('cmp-summary').textContent = A.error || B.error ? '' : n ? t('cmpSummary', { n, a: A.version, b: B.version }) : t('cmpSame');
    const ul = $('cmp-why');
    ul.textContent = '';
    const diffs = differences(A.version, B.version);
    if (!diffs.length) {
      const li = document.createElement('li');
      li.textContent = t('cmpNoChanges');
      ul.append(li);
    }
    for (const { behaviour, side } of diffs) {
      const li = document.createElement('li');
      li.dataset.behaviour = behaviour.id;
      const tag = document.createElement('strong');
      tag.textContent = `${t('onlyIn', { version: side === 'a' ? A.version : B.version })}: `;
      li.append(tag, behaviour[lang()] ?? behaviour.en);
      if (behaviour.links.length) {
        li.append(' (');
        behaviour.links.forEach((l, i) => {
          if (i) li.append(', ');
          const a = document.createElement('a');
          a.href = l.href;
          a.textContent = l.label;
          a.rel = 'noopener';
          a.target = '_blank';
          li.append(a);
        });
        li.append(')');
      }
      ul.append(li);
    }
  }

  relabel() {
    this.renderExamples();
    this.render();
  }
}

