/**
 * `npm start` end to end: scripts/demo.js on a free port with a throwaway user dir, then Debian's chromium
 * on the dashboard it prints. The ladder shows 10 levels a side with asks above bids, the values move, the
 * code selector switches the stock; a second start reuses the first one's files; stopping leaves nothing.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifactsDir, launchBrowser, openPage, screenshot, type TrackedPage } from '../helpers/browser';
import { deployFromEditor, openEditor, type EditorRED } from '../helpers/editor';
import { repoRoot } from '../helpers/node-red-process';
import { filesUnder } from '../packaging/package-info';
import { listenComms } from '../examples/comms';

const demoScript = path.join(repoRoot, 'scripts', 'demo.js');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface RunningDemo {
  readonly child: ChildProcess;
  readonly editorUrl: string;
  readonly dashboardUrl: string;
  output(): string;
  /** SIGINT (what Ctrl-C sends); resolves with the exit code. */
  stop(): Promise<number | null>;
}

async function startDemo(userDir: string): Promise<RunningDemo> {
  let output = '';
  const child = spawn(process.execPath, [demoScript], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '', KIS_DEMO_DIR: userDir, KIS_DEMO_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  const stop = async (): Promise<number | null> => {
    if (!done) child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
    const code = await exited;
    clearTimeout(killer);
    return code;
  };
  const deadline = Date.now() + 60000;
  for (;;) {
    const editor = /Editor: +(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
    const dashboard = /Dashboard: +(http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(output);
    if (editor && dashboard) return { child, editorUrl: editor[1]!, dashboardUrl: dashboard[1]!, output: () => output, stop };
    if (done || Date.now() > deadline) {
      await stop();
      throw new Error(`the demo did not print its URLs:\n${output.slice(-4000)}`);
    }
    await sleep(100);
  }
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

interface Ladder {
  readonly code: string;
  readonly asks: readonly { p: number; q: number }[];
  readonly bids: readonly { p: number; q: number }[];
  /** Every ask row comes before every bid row in the page. */
  readonly asksAboveBids: boolean;
}

function readLadder(page: Page): Promise<Ladder> {
  return page.evaluate(() => {
    const root = document.querySelector('.kis-ladder');
    const rows = Array.from(root ? root.querySelectorAll('.kis-lad-row') : []);
    const level = (r: Element): { p: number; q: number } => ({ p: Number(r.getAttribute('data-price')), q: Number(r.getAttribute('data-qty')) });
    const lastAsk = rows.map((r) => r.classList.contains('kis-ask')).lastIndexOf(true);
    const firstBid = rows.findIndex((r) => r.classList.contains('kis-bid'));
    return {
      code: root?.getAttribute('data-code') ?? '',
      asks: rows.filter((r) => r.classList.contains('kis-ask')).map(level),
      bids: rows.filter((r) => r.classList.contains('kis-bid')).map(level),
      asksAboveBids: lastAsk >= 0 && firstBid >= 0 && lastAsk < firstBid,
    };
  });
}

function assertLadderShape(ladder: Ladder): void {
  assert.equal(ladder.asks.length, 10, 'ten ask levels');
  assert.equal(ladder.bids.length, 10, 'ten bid levels');
  assert.ok(ladder.asksAboveBids, 'asks are shown above bids');
  const askPrices = ladder.asks.map((l) => l.p);
  const bidPrices = ladder.bids.map((l) => l.p);
  // Top to bottom the prices fall: highest ask first, best ask just above the best bid.
  for (let i = 1; i < 10; i++) {
    assert.ok(askPrices[i - 1]! > askPrices[i]!, `ask prices fall down the ladder: ${askPrices.join(' ')}`);
    assert.ok(bidPrices[i - 1]! > bidPrices[i]!, `bid prices fall down the ladder: ${bidPrices.join(' ')}`);
  }
  assert.ok(askPrices[9]! > bidPrices[0]!, `best ask ${askPrices[9]} above best bid ${bidPrices[0]}`);
  for (const l of [...ladder.asks, ...ladder.bids]) assert.ok(Number.isFinite(l.q) && l.q >= 0, `quantity ${l.q}`);
}

async function waitForLadder(page: Page, code: string, timeoutMs = 20000): Promise<Ladder> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ladder = await readLadder(page);
    if (ladder.code === code && ladder.asks.length === 10 && ladder.bids.length === 10) return ladder;
    if (Date.now() > deadline) throw new Error(`no 10-level ladder for ${code} within ${timeoutMs} ms: ${JSON.stringify(ladder)}`);
    await sleep(200);
  }
}

const signature = (l: Ladder): string => JSON.stringify([l.asks, l.bids]);

describe('npm start demo (scripts/demo.js) in chromium', function () {
  this.timeout(180000);
  let userDir: string;
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  let tracked: TrackedPage | undefined;

  before(async () => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-demo-'));
    demo = await startDemo(userDir);
    browser = await launchBrowser();
    // A browser in UTC: the dashboard must still show KST (market data is KST everywhere).
    tracked = await openPage(browser, { locale: 'ko-KR', viewport: { width: 1400, height: 900 }, timezoneId: 'UTC' });
  });

  after(async () => {
    await browser?.close();
    if (demo) await demo.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('prints the editor and dashboard URLs and writes its user dir', () => {
    assert.ok(demo);
    assert.match(demo.dashboardUrl, /\/dashboard\/kis$/);
    for (const f of ['settings.js', 'flows.json']) assert.ok(fs.existsSync(path.join(userDir, f)), `${f} in the user dir`);
    const flows = JSON.parse(fs.readFileSync(path.join(userDir, 'flows.json'), 'utf8')) as { id: string; type: string }[];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { demoFlows } = require(demoScript) as { demoFlows(): { id: string; type: string }[] };
    assert.deepEqual(flows, demoFlows(), 'the demo deploys the dashboard example (its own copy of the ids)');
    const example = JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples', '02-live-dashboard.json'), 'utf8')) as { id: string; type: string }[];
    assert.deepEqual(flows.slice(1).map((n) => n.type), example.map((n) => n.type), 'the same nodes as the example');
  });

  it('the dashboard shows a live 10-level ladder, asks above bids, and values change within seconds', async () => {
    assert.ok(demo && tracked);
    const { page } = tracked;
    await page.goto(demo.dashboardUrl);
    const first = await waitForLadder(page, '005930');
    assertLadderShape(first);
    await page.waitForSelector('.kis-summary .kis-sum-price', { timeout: 20000 });
    await page.waitForSelector('.kis-trades .kis-trade', { timeout: 20000 });
    await page.waitForSelector('.nrdb-ui-chart canvas, .nrdb-ui-chart svg', { timeout: 20000 });
    const volumeBefore = await page.textContent('.kis-summary .kis-volume');
    const deadline = Date.now() + 6000;
    let changed = false;
    while (!changed && Date.now() < deadline) {
      await sleep(250);
      const now = await readLadder(page);
      changed = now.code === '005930' && now.asks.length === 10 && signature(now) !== signature(first);
    }
    assert.ok(changed, 'the order book did not change within 6 s');
    await page.waitForFunction((before) => document.querySelector('.kis-summary .kis-volume')?.textContent !== before, volumeBefore, { timeout: 10000 });
    // Live candles built by kis-bars (10 s bars and the running one) in the ui-kis-candles widget.
    await page.waitForFunction(() => {
      const c = document.querySelector('.kis-cd');
      return c?.getAttribute('data-code') === '005930' && Number(c.getAttribute('data-bars')) >= 2;
    }, null, { timeout: 30000 });
    await sleep(8000); // a few seconds of chart and trades for the picture
    // test-artifacts/ only: docs/dashboard.png (the README's picture) is committed, a test never rewrites the tree.
    await screenshot(page, 'demo-dashboard-005930');
    assert.deepEqual(tracked.pageErrors, []);
  });

  it('the code selector switches the stock (the kis nodes resubscribe through an input msg)', async () => {
    assert.ok(demo && tracked);
    const { page } = tracked;
    const before = await waitForLadder(page, '005930');
    await page.click('.nrdb-ui-dropdown .v-field');
    await page.click('.v-overlay .v-list-item:has-text("000660")');
    const after = await waitForLadder(page, '000660');
    assertLadderShape(after);
    // SK hynix trades near 198,000, Samsung Electronics near 71,500: a book of the other stock is obvious.
    assert.ok(after.bids[0]!.p > 2 * before.bids[0]!.p, `000660 book ${after.bids[0]!.p} vs 005930 ${before.bids[0]!.p}`);
    await page.waitForFunction(() => document.querySelector('.kis-summary')?.getAttribute('data-code') === '000660' && document.querySelector('.kis-summary .kis-sum-price'), null, { timeout: 20000 });
    await page.waitForFunction(() => document.querySelector('.kis-cd')?.getAttribute('data-code') === '000660', null, { timeout: 20000 });
    await sleep(2000);
    await screenshot(page, 'demo-dashboard-000660');
    assert.deepEqual(tracked.pageErrors, []);
  });

  it('every example imports into the running demo (no "already exist" prompt) and deploys with no red badge and no warn line', async () => {
    assert.ok(demo && browser);
    const running = demo;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { demoFlows } = require(demoScript) as { demoFlows(): object[] };
    const editor = await openPage(browser, { locale: 'en-US', baseURL: running.editorUrl.replace(/\/$/, '') });
    // The runtime's own word on each node's status (the editor's comms feed, read outside the page).
    const comms = await listenComms(running.editorUrl.replace(/\/$/, ''));
    try {
      const { page } = editor;
      await openEditor(page);
      const files = filesUnder(path.join(repoRoot, 'examples')).filter((f) => f.endsWith('.json') && new RegExp(process.env['KIS_ONLY'] ?? '').test(f)).sort();
      assert.ok(files.length >= (process.env['KIS_ONLY'] ? 1 : 7), files.join(', '));
      for (const file of files) {
        const name = path.relative(path.join(repoRoot, 'examples'), file);
        const flow = JSON.parse(fs.readFileSync(file, 'utf8')) as object[];
        // What Menu › Import › Examples does with the file; a reused id throws "import_conflict".
        const imported = await page.evaluate((nodes) => {
          const RED = (window as unknown as { RED: EditorRED & { workspaces: { active(): string }; nodes: { dirty(d?: boolean): boolean } } }).RED;
          try {
            RED.view.importNodes(nodes, { addFlow: true });
            // The import dialog marks the workspace changed the same way (Deploy lights up).
            RED.nodes.dirty(true);
          } catch (err) {
            return { error: `${(err as { code?: string }).code ?? ''} ${(err as Error).message}` };
          }
          return { tab: RED.workspaces.active() };
        }, flow);
        if (!('tab' in imported) || imported.tab === undefined) assert.fail(`${name}: ${'error' in imported ? imported.error : 'no tab'}`);
        const tab = imported.tab;
        const logMark = running.output().length;
        const deployedAt = Date.now();
        await deployFromEditor(page);
        // Every enabled kis data node of the example shows a status badge (it runs); none is red.
        const dataNodes = await page.evaluate((z) => {
          const RED = (window as unknown as { RED: EditorRED }).RED;
          return RED.nodes.filterNodes({ z }).filter((n) => /^kis-/.test(n.type) && n['d'] !== true).map((n) => n.id);
        }, tab);
        assert.ok(dataNodes.length > 0 || name.includes('subscriber'), `${name}: no kis node imported`);
        const deadline = Date.now() + 15000;
        let silent = dataNodes;
        while (silent.length > 0 && Date.now() < deadline) {
          await sleep(250);
          // The status the editor received from the runtime (what the badge draws). The SVG label itself
          // lags when a status arrives before the imported tab is first drawn (RED.view redraws it later).
          const inEditor = await page.evaluate(
            (ids) => {
              const RED = (window as unknown as { RED: { nodes: { node(id: string): { status?: { text?: unknown } } | null } } }).RED;
              return ids.filter((id) => String(RED.nodes.node(id)?.status?.text ?? '') === '');
            },
            dataNodes,
          );
          // A status the runtime published counts too: the editor can miss one that arrives while
          // it is still taking in the deploy (seen on CI for a node whose only status is its first).
          silent = inEditor.filter((id) => !comms.status.some((e) => e.id === id && e.at >= deployedAt && (e.text ?? '') !== ''));
        }
        const history = silent.map((id) => `${id}: ${JSON.stringify(comms.status.filter((e) => e.id === id))}`).join('\n');
        assert.deepEqual(silent, [], `${name}: kis nodes without a status after the deploy (runtime comms: ${history})\n${running.output().slice(logMark).slice(-3000)}`);
        await page.evaluate(() => (window as unknown as { RED: { view: { redraw(full: boolean): void } } }).RED.view.redraw(true));
        await sleep(2000); // refusals and warnings arrive within moments of the registrations
        const red = await page.evaluate((tab) => {
          const RED = (window as unknown as { RED: EditorRED }).RED;
          return RED.nodes
            .filterNodes({})
            .filter((n) => /^kis-/.test(n.type))
            .map((n) => {
              // The status as the editor holds it, for every tab (the SVG exists only for the active one).
              const status = (n as { status?: { fill?: string; text?: unknown } }).status ?? {};
              return { id: n.id, z: n.z, text: String(status.text ?? ''), red: status.fill === 'red' };
            })
            .filter((n) => n.red)
            .map((n) => `${n.id}${n.z === tab ? ' (imported)' : ''}: ${n.text}`);
        }, tab);
        // The runtime's latest status of each imported node counts as well (see above).
        for (const id of dataNodes) {
          const latest = comms.status.filter((e) => e.id === id && e.at >= deployedAt).at(-1);
          if (latest?.fill === 'red' && !red.some((r) => r.startsWith(`${id} `) || r.startsWith(`${id}:`))) red.push(`${id} (imported, runtime): ${latest.text ?? ''}`);
        }
        await screenshot(page, `demo-import-${name.replace(/\.json$/, '')}`);
        assert.deepEqual(red, [], `${name}: red badges after the deploy\n${running.output().slice(logMark).slice(-3000)}`);
        const warnings = running.output().slice(logMark).split('\n').filter((l) => /\[(warn|error)\]/.test(l));
        assert.deepEqual(warnings, [], `${name}: warn lines after the deploy`);
        // Back to the demo as `npm start` deployed it (the example's tab and config nodes gone), as a user
        // trying the next example would delete them; then reload the editor.
        const reset = await fetch(`${running.editorUrl.replace(/\/$/, '')}/flows`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'full' },
          body: JSON.stringify({ flows: demoFlows() }),
        });
        assert.ok(reset.ok, `resetting the demo flows: HTTP ${reset.status}`);
        await openEditor(page);
      }
    } finally {
      await comms.close();
      await editor.context.close();
    }
  });

  it('Ctrl-C stops Node-RED cleanly; a second start reuses the first one\'s files', async () => {
    assert.ok(demo);
    const port = Number(new URL(demo.editorUrl).port);
    const flowsFile = path.join(userDir, 'flows.json');
    const settingsFile = path.join(userDir, 'settings.js');
    const flowsBefore = fs.readFileSync(flowsFile, 'utf8');
    const settingsBefore = fs.statSync(settingsFile).mtimeMs;
    assert.equal(await demo.stop(), 0);
    assert.match(demo.output(), /stopped/);
    assert.ok(await portIsClosed(port), 'Node-RED still listens after the demo exited');
    demo = undefined;

    const again = await startDemo(userDir);
    try {
      assert.match(again.output(), /using the flows in/);
      assert.equal(fs.readFileSync(flowsFile, 'utf8'), flowsBefore);
      assert.equal(fs.statSync(settingsFile).mtimeMs, settingsBefore);
      const res = await fetch(again.dashboardUrl);
      assert.equal(res.status, 200);
    } finally {
      assert.equal(await again.stop(), 0);
    }
    assert.ok(fs.existsSync(artifactsDir));
  });
});
