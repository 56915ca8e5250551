// The harness's own promise: a server whose port was taken between choice and bind is started again on
// another port, and a server that fails for any other reason fails the start with its log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { tempDir, startOnFreePorts, start, stop, http } from './harness.mjs';

// A one-line HTTP server in node itself: it exits on EADDRINUSE with Node's own "address already in use".
const server = (port) => ['-e', `require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`];
const serves = async ([port]) => (await http('GET', `http://127.0.0.1:${port}/`)).status === 200;

test('a port taken before the bind is given up for another, and the server starts there', { timeout: 30_000 }, async () => {
  const taken = net.createServer();
  await new Promise((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const takenPort = taken.address().port;
  const logFile = path.join(tempDir(), 'server.log');
  const tried = [];
  try {
    const { child, ports } = await startOnFreePorts('node server', 1, ([port]) => {
      // The first attempt meets what a race would leave: its port already bound by someone else.
      const use = tried.length === 0 ? takenPort : port;
      tried.push(use);
      return start(process.execPath, server(use), { logFile });
    }, serves, { logFile, timeoutMs: 10_000 });
    stop(child);
    assert.equal(tried.length, 2, `attempts: ${tried}`);
    assert.equal(tried[0], takenPort);
    assert.equal(ports[0], tried[1]);
  } finally {
    taken.close();
  }
});

test('a server that exits for another reason fails the start at once, with its log', { timeout: 30_000 }, async () => {
  const logFile = path.join(tempDir(), 'server.log');
  const startedAt = Date.now();
  await assert.rejects(
    startOnFreePorts('a broken server', 1, () => start(process.execPath, ['-e', 'console.error("no config"); process.exit(3)'], { logFile }),
      serves, { logFile, timeoutMs: 20_000 }),
    /a broken server readiness: the process exited \(3\)\n[\s\S]*no config/);
  assert.ok(Date.now() - startedAt < 10_000, 'it did not wait out the deadline');
});
