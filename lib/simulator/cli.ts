#!/usr/bin/env node
/**
 * `npx kis-simulator`: run the local KIS simulator from a shell.
 *
 *   kis-simulator [--port 0] [--rate 2] [--seed 1] [--hours always|kst] [--mode real|paper]
 *                 [--ping-interval S] [--ping-timeout S] [--accept-control-pong] [--json]
 *
 * Prints the URLs and the demo credentials (human-readable, or with --json one JSON line with
 * restUrl, wsUrl, appKey, appSecret for scripts). Stops cleanly on SIGINT/SIGTERM.
 */
import { isValidHtsId, normalizeAccount } from './orders';
import { ORDERS_PATH } from './orders-http';
import { startSimulator } from './server';
import type { SimulatorOptions } from './types';

interface CliArgs {
  readonly options: SimulatorOptions;
  readonly json: boolean;
  readonly help: boolean;
}

const USAGE = `Usage: kis-simulator [options]
  --port <n>        TCP port for REST and WebSocket (0 = any free port; default 0)
  --host <addr>     interface to bind (default 127.0.0.1)
  --rate <n>        records per second per subscription (default 2)
  --seed <n>        seed of the deterministic market (default 1)
  --hours <h>       always (default) or kst (follow KRX/NXT market hours)
  --mode <m>        real (default) or paper (serves only H0STCNT0, H0STASP0, H0STCNI9)
  --layout <l>      field layouts: doc (default, the documented counts) or 2026-09
                    (the portal's lists of 2026-09-11, e.g. 체결 with MARKET_CLS_CODE)
  --vi <on|off>     random VIs in KRX continuous trading (default: on with --hours kst)
  --ping-interval <s>  seconds between PINGPONG messages (default 100, as observed on KIS)
  --ping-timeout <s>   close (uncleanly) a session that has not echoed a PINGPONG for this long
                       (default 100)
  --accept-control-pong  also count a WebSocket pong control frame as the PINGPONG answer
                       (default: only the text echo counts; the official samples send a pong
                       frame, and whether real KIS accepts that is not settled)
  --hts-id <id>     HTS ID of the simulated customer: 체결통보 only for it; another one is dropped
                    after its ack, as KIS does (default: any HTS ID gets the notices)
  --account <no>    account number in the notices: 10 digits, or 8 (product code 01 added)
                    (default 5012345601); orders: POST /sim/orders (loopback only)
  --json            print one JSON line {restUrl, wsUrl, appKey, appSecret}
  --help            this text`;

function numberArg(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) throw new Error(`${name} needs a non-negative number`);
  return n;
}

/** A positive number of seconds, as milliseconds. */
function secondsArg(name: string, value: string | undefined): number {
  const s = numberArg(name, value);
  if (s <= 0) throw new Error(`${name} needs a positive number of seconds`);
  return Math.round(s * 1000);
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const o: { -readonly [K in keyof SimulatorOptions]: SimulatorOptions[K] } = {};
  let json = false, help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port': o.port = numberArg('--port', value()); break;
      case '--host': o.host = value() ?? '127.0.0.1'; break;
      case '--rate': o.rate = numberArg('--rate', value()); break;
      case '--seed': o.seed = numberArg('--seed', value()); break;
      case '--hours': {
        const h = value();
        if (h !== 'always' && h !== 'kst') throw new Error('--hours is always or kst');
        o.hours = h;
        break;
      }
      case '--mode': {
        const m = value();
        if (m !== 'real' && m !== 'paper') throw new Error('--mode is real or paper');
        o.mode = m;
        break;
      }
      case '--layout': {
        const l = value();
        if (l !== 'doc' && l !== '2026-09') throw new Error('--layout is doc or 2026-09');
        o.layout = l;
        break;
      }
      case '--vi': {
        const v = value();
        if (v !== 'on' && v !== 'off') throw new Error('--vi is on or off');
        o.vi = v === 'on';
        break;
      }
      case '--ping-interval': o.pingIntervalMs = secondsArg('--ping-interval', value()); break;
      case '--ping-timeout': o.pingTimeoutMs = secondsArg('--ping-timeout', value()); break;
      case '--accept-control-pong': o.acceptControlPong = true; break;
      case '--hts-id': {
        const id = value();
        if (id === undefined || !isValidHtsId(id)) throw new Error('--hts-id needs 1–16 letters or digits');
        o.htsId = id;
        break;
      }
      case '--account': o.account = normalizeAccount(value() ?? ''); break;
      case '--json': json = true; break;
      case '--help': case '-h': help = true; break;
      default: throw new Error(`unknown option ${arg}`);
    }
  }
  return { options: o, json, help };
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`kis-simulator: ${(err as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const sim = await startSimulator(args.options);
  if (args.json) {
    process.stdout.write(JSON.stringify({ restUrl: sim.restUrl, wsUrl: sim.wsUrl, appKey: sim.appKey, appSecret: sim.appSecret }) + '\n');
  } else {
    process.stdout.write(
      [
        'KIS simulator running (demo data, not a real market)',
        `  REST (approval key): ${sim.restUrl}/oauth2/Approval`,
        `  REST (access token): ${sim.restUrl}/oauth2/tokenP`,
        `  WebSocket:           ${sim.wsUrl}`,
        `  demo app key:        ${sim.appKey}`,
        `  demo app secret:     ${sim.appSecret}`,
        `  HTS ID, account:     ${sim.htsId}, ${sim.account} (체결통보 H0STCNI0/H0STCNI9)`,
        `  place an order:      POST ${sim.restUrl}${ORDERS_PATH} {"code":"005930","side":"buy","qty":10,"price":0}`,
        'Press Ctrl+C to stop.',
      ].join('\n') + '\n',
    );
  }
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`kis-simulator: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
