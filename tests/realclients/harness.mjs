// The real-client harness: starts `servicecidr-sim apiserver` (the built pkg/) on a free
// loopback port with its own kubeconfig and KUBECACHEDIR, and runs real programs (bash, the
// real kubectl binaries, client libraries) against it. Every process has a time limit and is
// killed by its PID at the end; nothing listens beyond 127.0.0.1.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'pkg/bin/servicecidr-sim.js');
const SDK = '/usr/lib/google-cloud-sdk/bin';

/** The real kubectl binaries the suite runs: versioned ones and the dispatcher. */
export const KUBECTLS = {
  '1.29': `${SDK}/kubectl.1.29`,
  '1.31': `${SDK}/kubectl.1.31`,
  '1.33': `${SDK}/kubectl.1.33`,
  dispatcher: '/usr/bin/kubectl',
};

export function haveKubectl(bin) {
  return fs.existsSync(bin);
}

/**
 * Starts the server; resolves to { url, port, kubeconfig, dir, env(bin), pid, rss(), stop() }.
 * `args` are extra apiserver options (--seed, --age, --version, --now …).
 */
export async function startServer(args = [], { timeoutMs = 30_000 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realclients-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  const child = spawn(
    process.execPath,
    [CLI, 'apiserver', '--port', '0', '--bind', '127.0.0.1', '--kubeconfig', kubeconfig, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      reject(new Error(`apiserver did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving the Kubernetes API at (http:\/\/\S+)/.exec(out);
      if (m && out.includes('export KUBECONFIG=')) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`apiserver exited (${code}) before listening: ${stderr}`));
    });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const server = {
    url,
    port: Number(new URL(url).port),
    kubeconfig,
    dir,
    pid: child.pid,
    stderr: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    /** Resident set size of the server process in bytes (Linux /proc). */
    rss() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      return m ? Number(m[1]) * 1024 : NaN;
    },
    /** Environment for a program talking to this server; `bin` becomes `kubectl` on PATH. */
    env(bin) {
      const binDir = path.join(dir, `bin-${path.basename(bin ?? 'none')}`);
      if (bin && !fs.existsSync(binDir)) {
        fs.mkdirSync(binDir);
        fs.symlinkSync(bin, path.join(binDir, 'kubectl'));
      }
      const cache = fs.mkdtempSync(path.join(dir, 'kubecache-'));
      return {
        PATH: `${bin ? `${binDir}:` : ''}/usr/local/bin:/usr/bin:/bin`,
        HOME: dir,
        KUBECONFIG: kubeconfig,
        KUBECACHEDIR: cache,
        LANG: 'C.UTF-8',
        TERM: 'dumb',
      };
    },
    async stop() {
      if (server.alive()) {
        process.kill(child.pid, 'SIGTERM');
        const t = setTimeout(() => {
          if (server.alive()) process.kill(child.pid, 'SIGKILL');
        }, 5000);
        await exited;
        clearTimeout(t);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/**
 * Runs `script` with real bash (`bash -c`), bounded by `timeoutMs` (then SIGKILL).
 * Returns { stdout, stderr, code, timedOut }.
 */
export function bash(script, env, { timeoutMs = 60_000, input = '' } = {}) {
  const r = spawnSync('bash', ['-c', script], {
    env,
    // The server's temp dir: no stray files (a page's `cat <EOF` must find no file EOF).
    cwd: env.HOME,
    input,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    code: r.status,
    timedOut: r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL',
  };
}
