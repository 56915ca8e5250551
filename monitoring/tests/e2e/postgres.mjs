// A throwaway PostgreSQL server on loopback for the e2e: initdb into a scratch directory, the server in the
// foreground as a child of this process (stopped with it), a database `users` owned by `users_api` with a
// random password in a file, as the deployed service gets them (USERS_API_DB_* in base/deployment.yaml).
// Debian's `postgresql` package provides the binaries; root cannot run PostgreSQL, so as root the server
// runs as the package's `postgres` user.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir, startOnFreePorts, start } from './harness.mjs';

/** The bin directory of the newest PostgreSQL server installed (Debian keeps it off PATH). */
export function postgresBin() {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length) return path.join(root, versions[0], 'bin');
  try {
    return path.dirname(execFileSync('sh', ['-c', 'command -v postgres'], { stdio: 'pipe' }).toString().trim());
  } catch {
    throw new Error('PostgreSQL server not found (no /usr/lib/postgresql/*/bin/postgres, no postgres on PATH): apt-get install postgresql');
  }
}

/** Starts the server; returns { child, env } where env holds the service's USERS_API_DB_* settings. */
export async function startPostgres() {
  const bin = postgresBin();
  const dir = tempDir();
  const asRoot = process.getuid?.() === 0;
  // As root: hand the directory to `postgres` and drop to it without an intermediate process (setpriv execs).
  const as = (cmd, args) => (asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', cmd, ...args]] : [cmd, args]);
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const run = (cmd, args) => {
    const [c, a] = as(path.join(bin, cmd), args);
    return execFileSync(c, a, { stdio: 'pipe', cwd: dir }).toString();
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync']);
  const psqlOn = (port, sql) => run('psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qtAc', sql]);
  const logFile = path.join(dir, 'postgres.log');
  const { child, ports: [port] } = await startOnFreePorts('PostgreSQL', 1, ([port]) => {
    const [cmd, args] = as(path.join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']);
    return start(cmd, args, { logFile });
  }, ([port]) => psqlOn(port, 'select 1').trim() === '1', { logFile, timeoutMs: 30_000 });
  const psql = (sql) => psqlOn(port, sql);
  const password = crypto.randomBytes(18).toString('base64url');
  psql(`create role users_api login password '${password}'`);
  psql('create database users owner users_api');
  const passwordFile = path.join(dir, 'db-password');
  fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  return {
    child,
    env: {
      USERS_API_DB_URL: `jdbc:postgresql://127.0.0.1:${port}/users`,
      USERS_API_DB_USER: 'users_api',
      USERS_API_DB_PASSWORD_FILE: passwordFile,
    },
  };
}
