#!/usr/bin/env node
// `npm start`: a real Node-RED on 127.0.0.1 with this package loaded, the built-in simulator as the KIS
// server and the live dashboard example deployed. No account, no configuration, any hour.
//
// - User directory: .demo/ in the repository (or $KIS_DEMO_DIR). Its settings.js and flows.json are
//   written on the first run only, so a second `npm start` reuses them (and keeps your edits); delete
//   a file to get the default back.
// - Port: $KIS_DEMO_PORT, else 1880. If that port is busy, a free one is used and printed
//   (KIS_DEMO_PORT=0 always picks a free one).
// - Node-RED runs as a child process (this same file, in child mode, then node-red's red.js). Ctrl-C /
//   SIGTERM are forwarded, we wait for Node-RED to stop its flows, and the child also exits by itself
//   if this process disappears, so nothing is left running.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const repoRoot = path.join(__dirname, '..');
/** The demo flow: exactly the dashboard example users can import from the editor (one copy). */
const DEMO_EXAMPLE = path.join(repoRoot, 'examples', '02-live-dashboard.json');
/** Tab the example's nodes live on (examples carry no tab node, as Import › Examples expects). */
const DEMO_TAB = { id: 'kis-demo', type: 'tab', label: 'KIS live dashboard', disabled: false, info: '' };
/** Prefix of the demo's copies of the example's ids. */
const DEMO_ID_PREFIX = 'demo-';
const HOST = '127.0.0.1';
const STOP_TIMEOUT_MS = 15000;

if (process.env.KIS_DEMO_CHILD === '1') runNodeRedChild();
else if (require.main === module) main().catch((err) => {
  console.error(`kis demo: ${err && err.message ? err.message : err}`);
  process.exit(1);
});

module.exports = { demoFlows, DEMO_ID_PREFIX };

/**
 * The demo's flows: its tab plus the dashboard example with every id (and every reference to one)
 * prefixed, so a user can import any example, the dashboard one included, into the running demo without
 * Node-RED's "nodes already exist" prompt.
 */
function demoFlows() {
  const example = JSON.parse(fs.readFileSync(DEMO_EXAMPLE, 'utf8'));
  const ids = new Set(example.map((n) => n.id));
  const rename = (value) => {
    if (typeof value === 'string') return ids.has(value) ? DEMO_ID_PREFIX + value : value;
    if (Array.isArray(value)) return value.map(rename);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v)]));
    return value;
  };
  return [DEMO_TAB, ...example.map((node) => ({ ...rename(node), z: node.z === undefined ? undefined : DEMO_TAB.id }))].map((node) =>
    node.z === undefined ? Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'z')) : node,
  );
}

async function main() {
  const userDir = path.resolve(process.env.KIS_DEMO_DIR || path.join(repoRoot, '.demo'));
  fs.mkdirSync(userDir, { recursive: true });
  checkBuilt();
  const port = await choosePort(process.env.KIS_DEMO_PORT);
  const settingsFile = writeSettingsOnce(userDir);
  const flowsFile = path.join(userDir, 'flows.json');
  if (!fs.existsSync(flowsFile)) {
    fs.writeFileSync(flowsFile, JSON.stringify(demoFlows(), null, 2) + '\n');
    console.log(`kis demo: wrote the demo flow to ${flowsFile}`);
  } else {
    console.log(`kis demo: using the flows in ${flowsFile} (delete it to get the demo flow back)`);
  }

  const child = spawn(process.execPath, [__filename, '-u', userDir, '-s', settingsFile], {
    cwd: userDir,
    env: { ...process.env, KIS_DEMO_CHILD: '1', KIS_DEMO_PARENT_PID: String(process.pid), KIS_DEMO_HOST: HOST, KIS_DEMO_PORT: String(port), KIS_DEMO_REPO: repoRoot },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nkis demo: stopping Node-RED (${signal})…`);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    killer.unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));

  const base = `http://${HOST}:${port}`;
  const ready = await waitUntilReady(base, exited);
  if (ready) printBanner(base, dashboardPath(flowsFile), userDir);

  const { code, signal } = await exited;
  if (stopping) {
    console.log('kis demo: stopped.');
    process.exit(0);
  }
  console.error(`kis demo: Node-RED exited (${signal || `code ${code}`}).`);
  process.exit(code || 1);
}

/** The package must be compiled (npm start runs the build first; a bare `node scripts/demo.js` may not). */
function checkBuilt() {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const nodes = Object.values((pkg['node-red'] && pkg['node-red'].nodes) || {});
  const missing = nodes.filter((file) => !fs.existsSync(path.join(repoRoot, file)));
  if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run \`npm run build\` first (\`npm start\` does it for you).`);
}

/** The requested port if it is free on 127.0.0.1; otherwise (or for "0") one the OS picks. */
async function choosePort(requested) {
  const wanted = requested === undefined || requested === '' ? 1880 : Number(requested);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) throw new Error(`KIS_DEMO_PORT=${requested} is not a port number`);
  if (wanted !== 0) {
    const free = await listenOnce(wanted).then(() => true, (err) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') return false;
      throw err;
    });
    if (free) return wanted;
  }
  const port = await listenOnce(0);
  if (wanted !== 0) console.log(`kis demo: port ${wanted} is busy; using port ${port} instead (set KIS_DEMO_PORT to choose).`);
  return port;
}

function listenOnce(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, HOST, () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

/**
 * settings.js is written once and reads host, port and the repository from the environment this script
 * sets, so it stays valid when the port changes or the repository moves, and edits to it are kept.
 */
function writeSettingsOnce(userDir) {
  const file = path.join(userDir, 'settings.js');
  if (fs.existsSync(file)) return file;
  const text = `// Node-RED settings for the @kis-nodes/node-red-kis demo (\`npm start\`). Written once by scripts/demo.js;
// your edits are kept. Delete this file to get the defaults back.
const path = require('node:path');
module.exports = {
  uiHost: process.env.KIS_DEMO_HOST || '127.0.0.1',
  uiPort: Number(process.env.KIS_DEMO_PORT || 1880),
  flowFile: 'flows.json',
  // Credentials are stored unencrypted in flows_cred.json inside this directory; fine for a local demo.
  // Set a secret string here before you enter a real app key and secret.
  credentialSecret: false,
  // This repository, loaded as the @kis-nodes/node-red-kis module (its nodes and its examples).
  nodesDir: [process.env.KIS_DEMO_REPO || ${JSON.stringify(repoRoot)}],
  logging: { console: { level: 'info', metrics: false, audit: false } },
  editorTheme: { tours: false, projects: { enabled: false } },
  telemetry: { enabled: false, updateNotification: false },
  diagnostics: { enabled: false },
  // The dashboard example's CSV recorder and friends write relative paths here.
  fileWorkingDirectory: __dirname,
  functionExternalModules: true,
};
`;
  fs.writeFileSync(file, text);
  return file;
}

/** Polls GET /settings until Node-RED answers; false if it exited first. */
async function waitUntilReady(base, exited) {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) return false;
    try {
      const res = await fetch(`${base}/settings`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** /dashboard/<page> from the flows' ui-base and first ui-page, if the flows have a dashboard. */
function dashboardPath(flowsFile) {
  try {
    const flows = JSON.parse(fs.readFileSync(flowsFile, 'utf8'));
    const base = flows.find((n) => n.type === 'ui-base');
    if (!base) return null;
    const pages = flows.filter((n) => n.type === 'ui-page' && n.ui === base.id).sort((a, b) => (a.order || 0) - (b.order || 0));
    const basePath = String(base.path || '/dashboard').replace(/\/$/, '');
    return pages.length > 0 ? `${basePath}${String(pages[0].path || '')}` : basePath;
  } catch {
    return null;
  }
}

function printBanner(base, dashboard, userDir) {
  const lines = [
    '',
    '  @kis-nodes/node-red-kis demo · 한국투자증권 실시간 시세 (simulator, no account needed)',
    '',
    `  Editor:    ${base}/`,
    ...(dashboard ? [`  Dashboard: ${base}${dashboard}`] : []),
    '',
    `  User directory: ${userDir}`,
    '  Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
}

/**
 * Child mode: exit when the parent goes away (even if it was killed with SIGKILL and could not forward
 * a signal), then hand over to node-red's CLI, which reads its arguments from process.argv.
 */
function runNodeRedChild() {
  const parent = Number(process.env.KIS_DEMO_PARENT_PID);
  const watchdog = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(watchdog);
      process.kill(process.pid, 'SIGTERM');
    }
  }, 1000);
  watchdog.unref();
  require(require.resolve('node-red/red.js', { paths: [repoRoot] }));
}
