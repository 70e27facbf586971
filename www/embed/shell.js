// Splits a docs-page shell script into its top-level commands, so a transcript can pair
// each command with its own output. It only has to find command boundaries, not run
// anything: the core's cluster.run() executes each piece. Boundaries are: end of a line,
// unless the line continues (trailing backslash, an open quote, an unfinished
// for/while/until/if/case/{ block, or a here-document still being read).

const OPENERS = new Set(['for', 'while', 'until', 'if', 'case', '{', '(']);
const CLOSERS = new Set(['done', 'fi', 'esac', '}', ')']);

/** Words at command position in one physical line, ignoring quoted text and comments. */
function scanLine(line, state) {
  let word = '';
  let atCommand = state.atCommand;
  const words = [];
  const flush = () => {
    if (word) words.push({ word, atCommand: state.wordAtCommand });
    word = '';
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (state.quote) {
      if (ch === '\\' && state.quote === '"') { i++; continue; }
      if (ch === state.quote) state.quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') { state.quote = ch; word += '\u0000'; continue; }
    if (ch === '\\') { word += line[i + 1] ?? ''; i++; continue; }
    if (ch === '#' && !word) break; // a comment runs to the end of the line
    if (ch === ';' || ch === '|' || ch === '&') {
      flush();
      atCommand = true;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      if (word) {
        flush();
        // After a keyword like "do"/"then" the next word starts a command again.
        atCommand = /^(do|then|else|elif|in|!|\{|\()$/.test(words[words.length - 1].word);
      }
      continue;
    }
    if (!word) state.wordAtCommand = atCommand;
    word += ch;
  }
  flush();
  return words;
}

/** Here-document delimiters opened on this line: `<<EOF`, `<<-EOF`, `<<'EOF'`, `<< "EOF"`. */
function heredocs(line) {
  const out = [];
  const re = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
  let m;
  while ((m = re.exec(line)) !== null) out.push({ strip: m[1] === '-', word: m[3] });
  return out;
}

/**
 * Returns [{ text, comment }]: `text` is one top-level command exactly as written (several
 * lines for heredocs, continuations and multi-line loops); comment-only lines become
 * entries with `comment: true` so a transcript can show them without running them.
 */
export function splitCommands(script) {
  const lines = String(script).replace(/\r\n?/g, '\n').split('\n');
  const out = [];
  let buf = [];
  let depth = 0;
  const state = { quote: null, atCommand: true, wordAtCommand: true };
  let pendingDocs = [];
  let continued = false;
  const finish = () => {
    const text = buf.join('\n').replace(/\s+$/, '');
    if (text.trim()) out.push({ text, comment: false });
    buf = [];
    depth = 0;
    state.quote = null;
  };
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li];
    if (pendingDocs.length) {
      buf.push(line);
      const doc = pendingDocs[0];
      const candidate = doc.strip ? line.replace(/^\t+/, '') : line;
      if (candidate === doc.word) pendingDocs.shift();
      if (!pendingDocs.length && depth === 0 && !state.quote && !continued) finish();
      continue;
    }
    if (!buf.length && !continued) {
      if (!line.trim()) continue;
      if (/^\s*#/.test(line)) { out.push({ text: line.trim(), comment: true }); continue; }
    }
    buf.push(line);
    const wasQuoted = state.quote;
    state.atCommand = !continued && !wasQuoted ? true : state.atCommand;
    const words = scanLine(line, state);
    for (const { word, atCommand } of words) {
      if (!atCommand) continue;
      if (OPENERS.has(word)) depth++;
      else if (CLOSERS.has(word) && depth > 0) depth--;
    }
    if (!wasQuoted) pendingDocs = heredocs(line);
    continued = /(^|[^\\])(\\\\)*\\$/.test(line) && !state.quote;
    if (pendingDocs.length) continue;
    if (depth === 0 && !state.quote && !continued) finish();
  }
  if (buf.length) finish();
  return out;
}
