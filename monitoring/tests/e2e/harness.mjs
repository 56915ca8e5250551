// Starts the real users-api jar and a real Prometheus on loopback and talks to them over HTTP.
// Every wait is bounded; every process started here is stopped when the test process exits.
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const children = new Set();
const dirs = new Set();

function stopAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of dirs) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    } catch (e) {
      console.error(`could not remove ${dir}: ${e.message}`);
    }
  }
  dirs.clear();
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/** Asks a process to stop; one still running when the test process exits is killed then. */
export function stop(child) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

export function requireTool(command, install) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'pipe' });
  } catch {
    throw new Error(`${command} not found: ${install}`);
  }
}

/** A scratch directory, removed when the test process exits (also after an interrupt). */
export function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'users-api-monitoring-e2e-'));
  dirs.add(dir);
  return dir;
}

/** A port nothing listens on right now; it is not held, so use it through startOnFreePorts. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function start(command, args, { env = {}, logFile }) {
  const out = fs.openSync(logFile, 'w');
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  children.add(child);
  child.on('exit', () => fs.closeSync(out));
  return child;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Polls check() until it returns a truthy value or the deadline passes; returns the value or throws. With
 * `process`, it throws as soon as that process has exited instead of waiting out the deadline.
 */
export async function waitFor(what, check, { timeoutMs, intervalMs = 500, process: child }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (child && exited(child)) throw new ProcessExited(`${what}: the process exited (${child.exitCode ?? child.signalCode})`);
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

class ProcessExited extends Error {}

/**
 * Starts a server on `count` loopback ports that were free a moment before. Nothing holds a port in between, so
 * another process may bind it first: then the server exits on its bind failure ("address already in use" in its
 * log) and it is started again on other ports, up to `attempts` times. `launch(ports)` starts the process (with
 * `logFile`); `ready(ports)` polls whether it serves. Returns { child, ports }.
 */
export async function startOnFreePorts(what, count, launch, ready, { logFile, timeoutMs, attempts = 5 }) {
  for (let attempt = 1; ; attempt++) {
    const ports = [];
    while (ports.length < count) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    const child = launch(ports);
    try {
      await waitFor(`${what} readiness`, () => ready(ports), { timeoutMs, process: child });
      return { child, ports };
    } catch (e) {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      if (e instanceof ProcessExited && /address already in use/i.test(log) && attempt < attempts) {
        console.error(`# ${what}: port taken between choice and bind (${ports.join(', ')}); starting again`);
        continue;
      }
      stop(child);
      throw new Error(`${e.message}\n${log.slice(-3000)}`);
    }
  }
}

/** Resolves once Prometheus has scraped `job` again after this call (its `up` sample is newer). */
export async function nextScrape(prom, job, { timeoutMs = 10_000 } = {}) {
  const sampleTime = async () => Number((await prom.query(`timestamp(up{job="${job}"})`)).result[0]?.value[1] ?? 0);
  const before = await sampleTime();
  await waitFor(`the next scrape of ${job}`, async () => (await sampleTime()) > before, { timeoutMs, intervalMs: 200 });
}

export async function http(method, url, { headers = {}, body } = {}) {
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  return { status: res.status, text };
}

export function sha256Hex(s) {
  return crypto.createHash('sha256').update(s).digest('hex');
}

export class PrometheusApi {
  constructor(base) {
    this.base = base;
  }

  async get(pathAndQuery) {
    const res = await http('GET', `${this.base}${pathAndQuery}`);
    const body = JSON.parse(res.text);
    if (body.status !== 'success') throw new Error(`${pathAndQuery}: ${body.errorType}: ${body.error}`);
    return body.data;
  }

  query(expr) {
    return this.get(`/api/v1/query?query=${encodeURIComponent(expr)}`);
  }

  async alerts(name) {
    return (await this.get('/api/v1/alerts')).alerts.filter((a) => a.labels.alertname === name);
  }

  async rule(name) {
    const { groups } = await this.get('/api/v1/rules');
    return groups.flatMap((g) => g.rules).find((r) => r.name === name);
  }
}

/**
 * A local webhook receiver on a free loopback port: records every POST as
 * { path, at (ms since epoch), body (parsed JSON) }, in order of arrival.
 */
export async function startWebhookReceiver() {
  const { createServer } = await import('node:http');
  const received = [];
  const server = createServer((req, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => {
      const at = Date.now();
      let body;
      try {
        body = JSON.parse(data);
      } catch {
        body = { unparsable: data };
      }
      received.push({ path: req.url, at, body });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The first of the commands that is installed (Debian names Alertmanager prometheus-alertmanager). */
export function firstInstalled(commands, install) {
  for (const c of commands) {
    try {
      execFileSync('sh', ['-c', `command -v ${c}`], { stdio: 'pipe' });
      return c;
    } catch {
      // try the next name
    }
  }
  throw new Error(`none of ${commands.join(', ')} found: ${install}`);
}
