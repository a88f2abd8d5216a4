/**
 * A throwaway mosquitto (Debian's /usr/sbin/mosquitto, installed by scripts/ci-setup.sh) on a free
 * loopback port, for the MQTT fan-out tests. Anonymous, no persistence; it logs connections and
 * subscriptions to stdout so a test can wait for "client X connected / subscribed" instead of sleeping.
 * stop() kills it (SIGTERM, then SIGKILL) and removes its temp dir: no broker outlives the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../helpers/node-red-process';

export interface Mosquitto {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Everything the broker logged so far. */
  output(): string;
  /** Resolves when the log matches `pattern`; rejects after `timeoutMs` with the log tail. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Stops the broker (SIGTERM, SIGKILL after 3 s) and removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const CANDIDATES = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/local/bin/mosquitto'];

/** The mosquitto binary: $MOSQUITTO, else the Debian path, else the first one on PATH; null if none. */
export function findMosquitto(): string | null {
  const fromEnv = process.env.MOSQUITTO;
  if (fromEnv !== undefined && fromEnv !== '') return fs.existsSync(fromEnv) ? fromEnv : null;
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '').map((d) => path.join(d, 'mosquitto'));
  return [...CANDIDATES, ...onPath].find((p) => isExecutable(p)) ?? null;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function configText(port: number): string {
  return [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    'log_dest stderr', // unbuffered: stdout is block-buffered into a pipe
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'log_type subscribe',
    'connection_messages true',
    '',
  ].join('\n');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function tail(text: string, chars = 3000): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts mosquitto on a free 127.0.0.1 port. Throws a message that says how to install it when the
 * binary is missing. Retries with another port if the free port was taken in between (a small race).
 */
export async function startMosquitto(): Promise<Mosquitto> {
  const binary = findMosquitto();
  if (binary === null) {
    throw new Error(
      'mosquitto is not installed (looked for /usr/sbin/mosquitto, $MOSQUITTO and PATH). ' +
        'The MQTT fan-out test needs a real broker: run `bash scripts/ci-setup.sh` as root, or `apt-get install -y mosquitto`.',
    );
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(binary, await freePort());
    } catch (err) {
      lastError = err;
      if (!(err instanceof PortTakenError)) throw err;
    }
  }
  throw lastError;
}

class PortTakenError extends Error {}

async function startOnce(binary: string, port: number): Promise<Mosquitto> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-mosquitto-'));
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, configText(port));

  let output = '';
  const child: ChildProcess = spawn(binary, ['-c', conf], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    // spawn failure (EACCES…): 'exit' may never come.
    child.once('error', (err) => {
      output += `\nspawn error: ${err.message}`;
      exited = true;
      resolve();
    });
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(killTimer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10000;
  while (!(await canConnect(port))) {
    if (exited) {
      await stop();
      if (/address already in use/i.test(output)) throw new PortTakenError(`port ${port} taken`);
      throw new Error(`mosquitto exited during start-up:\n${tail(output)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mosquitto did not listen on 127.0.0.1:${port} within 10 s:\n${tail(output)}`);
    }
    await sleep(50);
  }

  const waitForLog = async (pattern: RegExp, timeoutMs = 10000): Promise<void> => {
    const until = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (exited) throw new Error(`mosquitto exited before logging ${pattern}:\n${tail(output)}`);
      if (Date.now() > until) throw new Error(`mosquitto did not log ${pattern} within ${timeoutMs} ms:\n${tail(output)}`);
      await sleep(50);
    }
  };

  return { host: '127.0.0.1', port, output: () => output, waitForLog, stop };
}
