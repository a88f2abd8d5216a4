/**
 * The first five minutes in a user's own Node-RED, done the way a user does them (see user-install.ts):
 * `npm pack` in a fresh clone, `npm install <tarball>` into a plain Node-RED user dir, then in chromium:
 * drag a kis-tick from the palette, add a new kis-config from its dialog keeping every default, type two
 * codes, wire a debug node, deploy: no "not properly configured" prompt, data in the debug sidebar. In
 * en-US and ko (browser and runtime language). Then the git URL install: the nodes load and stream.
 * Runs on whatever Node-RED the suite runs on (4.1 in `npm test`, 5 in scripts/test-node-red-5.sh).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { listenComms } from '../examples/comms';
import { launchBrowser, openPage, screenshot, type TrackedPage } from '../helpers/browser';
import {
  confirmNodeDialog,
  debugEntries,
  deployFromEditor,
  dragFromPalette,
  openEditor,
  showDebugSidebar,
  wireNodes,
  type EditorRED,
} from '../helpers/editor';
import { startNodeRed, type FlowNode, type NodeRedProcess } from '../helpers/node-red-process';
import { packageName, readPackageJson } from './package-info';
import { nodeRedVersion, prepareUserInstalls, type UserInstalls } from './user-install';

const run = promisify(execFile);

/** The node modules a plain Node-RED loads besides this package (its own core sets). */
const CORE_MODULE = 'node-red';

async function startPlain(installs: UserInstalls, userDir: string, lang: 'en-US' | 'ko', flows: readonly FlowNode[] = []): Promise<NodeRedProcess> {
  return startNodeRed({
    flows,
    redJs: installs.redJs,
    userDir,
    loadRepo: false,
    // Node-RED's runtime texts (status badges) follow the runtime language (README: Korean badges).
    settings: { lang: lang === 'ko' ? 'ko' : 'en-US' },
    startTimeoutMs: 60000,
  });
}

/**
 * Node sets that need another module and are designed to stay unloaded (with a clear error) without
 * it, so the rest of the package loads: kis-dashboard needs Dashboard 2.0.
 */
const OPTIONAL_SETS: Readonly<Record<string, string>> = { 'kis-dashboard': '@flowfuse/node-red-dashboard' };

/** What GET /nodes says loaded: only Node-RED's own sets and this package's, without errors. */
async function assertOnlyThisPackage(red: NodeRedProcess): Promise<void> {
  const sets = await red.nodeSets();
  const others = [...new Set(sets.map((s) => s.module).filter((m) => m !== CORE_MODULE && m !== packageName))];
  assert.deepEqual(others, [], 'a plain user dir loads no other node modules');
  const ours = sets.filter((s) => s.module === packageName);
  const declared = Object.keys(readPackageJson()['node-red']?.nodes ?? {});
  assert.deepEqual(ours.map((s) => s.name).sort(), [...declared].sort(), 'every node set of package.json is installed');
  for (const set of ours) {
    const needs = OPTIONAL_SETS[set.name];
    if (needs !== undefined && !fs.existsSync(path.join(red.userDir, 'node_modules', ...needs.split('/')))) continue;
    assert.ok(set.enabled && set.err === undefined, `${set.name} did not load: ${JSON.stringify(set)}`);
  }
}

describe(`packaging: a user's own install (npm pack, npm install, git URL) on node-red ${nodeRedVersion}`, function () {
  this.timeout(900_000);
  let installs: UserInstalls | undefined;

  before(async function () {
    installs = await prepareUserInstalls();
  });

  after(() => installs?.dispose());

  function ready(): UserInstalls {
    if (installs === undefined) throw new Error('the installs were not prepared');
    return installs;
  }

  it('npm pack in a fresh clone (no dist/) builds and ships dist/, the bin with its execute bit, README and examples', async () => {
    const { stdout } = await run('tar', ['-tvzf', ready().tarball], { maxBuffer: 16 * 1024 * 1024 });
    const lines = stdout.split('\n');
    const has = (file: string): string | undefined => lines.find((l) => l.endsWith(` package/${file}`));
    const pkg = readPackageJson();
    for (const rel of Object.values(pkg['node-red']?.nodes ?? {})) {
      assert.ok(has(rel), `${rel} is not in the tarball`);
      assert.ok(has(rel.replace(/\.js$/, '.html')), `${rel.replace(/\.js$/, '.html')} is not in the tarball`);
    }
    for (const file of [pkg.main ?? '', 'README.md', 'LICENSE', 'package.json']) assert.ok(has(file), `${file} is not in the tarball`);
    assert.ok(lines.some((l) => / package\/examples\/.+\.json$/.test(l)), 'no examples in the tarball');
    for (const bin of Object.values((pkg as { bin?: Record<string, string> }).bin ?? {})) {
      const line = has(bin);
      assert.ok(line, `${bin} is not in the tarball`);
      assert.match(line, /^-rwx/, `${bin} is not executable in the tarball: ${line}`);
    }
  });

  for (const lang of ['en-US', 'ko'] as const) {
    describe(`tarball in a plain user dir, editor in ${lang}`, () => {
      let red: NodeRedProcess | undefined;
      let browser: Browser | undefined;
      let tracked: TrackedPage | undefined;

      before(async () => {
        red = await startPlain(ready(), ready().tarballUserDir, lang);
        browser = await launchBrowser();
        tracked = await openPage(browser, { locale: lang === 'ko' ? 'ko-KR' : 'en-US', baseURL: red.url });
      });

      afterEach(async function () {
        if (this.currentTest?.state === 'failed' && tracked !== undefined) {
          await screenshot(tracked.page, `FAILED-user-install-${lang}-${this.currentTest.title}`).catch(() => undefined);
        }
      });

      after(async () => {
        await tracked?.context.close().catch(() => undefined);
        await browser?.close();
        await red?.stop();
      });

      it('loads only this package, every node set without error; its examples are under Import › Examples › the package name', async () => {
        if (red === undefined) throw new Error('no runtime');
        await assertOnlyThisPackage(red);
        // The editor's Import › Examples tree is the runtime's "examples" library: one folder per module name.
        const modules = (await (await red.request('/library/examples/flows/')).json()) as unknown[];
        assert.ok(modules.some((m) => (typeof m === 'object' && m !== null ? JSON.stringify(m) : String(m)).includes(packageName)), `examples library: ${JSON.stringify(modules)}`);
        const listing = JSON.stringify(await (await red.request(`/library/examples/flows/${packageName}`)).json());
        for (const file of fs.readdirSync(path.join(ready().installedPackage, 'examples')).filter((f) => f.endsWith('.json'))) {
          assert.ok(listing.includes(file.replace(/\.json$/, '')), `example ${file} is not listed under ${packageName}: ${listing}`);
        }
      });

      it('drag kis-tick, add a kis-config keeping its defaults, type two codes, deploy: no warning, data in the debug sidebar', async () => {
        if (tracked === undefined || red === undefined) throw new Error('no page');
        const { page } = tracked;
        await openEditor(page);
        const tickId = await dragFromPalette(page, 'kis-tick', { x: 200, y: 120 });
        // Open its dialog as a user does: double-click the node.
        await page.locator(`g[id="${tickId}"] .red-ui-flow-node`).first().dblclick();
        await page.locator('#node-dialog-ok').waitFor();
        // No kis-config yet: the select offers "Add new kis-config…"; the + button (4.1; the pencil in
        // older editors) opens the new-config dialog.
        await page.locator('#node-input-btn-server-add, #node-input-lookup-server').first().click();
        await page.locator('#node-config-dialog-ok').waitFor();
        await screenshot(page, `user-install-${lang}-new-kis-config`);
        await page.locator('#node-config-dialog-ok').click();
        await page.locator('#node-config-dialog-ok').waitFor({ state: 'detached' });
        const codes = page.locator('#node-input-codes');
        await codes.fill('');
        await codes.pressSequentially('005930 000660');
        await confirmNodeDialog(page);

        const configs = await page.evaluate(() => {
          const RED = (window as unknown as { RED: EditorRED }).RED;
          return RED.nodes.filterNodes({ type: 'kis-config' }).map((n) => ({ id: n.id, valid: n.valid, errors: n.validationErrors ?? [] }));
        });
        // filterNodes lists flow nodes; config nodes are found through the kis-tick's server property.
        const server = await page.evaluate((id) => {
          const RED = (window as unknown as { RED: EditorRED }).RED;
          const tick = RED.nodes.node(id);
          const config = tick ? RED.nodes.node(String(tick['server'])) : undefined;
          return { tickValid: tick?.valid, config: config ? { valid: config.valid, errors: config.validationErrors ?? [], maxRetries: config['maxRetries'] } : null };
        }, tickId);
        assert.ok(server.config !== null, `the kis-tick has no kis-config (${JSON.stringify(configs)})`);
        assert.equal(server.config.valid, true, `the new kis-config is invalid: ${JSON.stringify(server.config)}`);
        assert.equal(server.tickValid, true, 'the kis-tick is invalid');

        const debugId = await dragFromPalette(page, 'debug', { x: 480, y: 120 });
        await wireNodes(page, tickId, debugId);
        const logBeforeDeploy = red.output().length;
        // Throws when Node-RED asks to confirm ("not properly configured", "unused config", …).
        await deployFromEditor(page);
        await showDebugSidebar(page);
        const deadline = Date.now() + 30000;
        let topics: string[] = [];
        while (Date.now() < deadline) {
          topics = (await debugEntries(page)).map((e) => e.topic);
          if (['005930', '000660'].every((code) => topics.some((t) => t.includes(code)))) break;
          await page.waitForTimeout(250);
        }
        await screenshot(page, `user-install-${lang}-deployed`);
        for (const code of ['005930', '000660']) assert.ok(topics.some((t) => t.includes(code)), `no ${code} in the debug sidebar: ${JSON.stringify(topics.slice(0, 5))}`);
        const logged = red.output().slice(logBeforeDeploy);
        assert.doesNotMatch(logged, /\[warn\]|\[error\]/, `the deploy logged a warning:\n${logged}`);
        assert.deepEqual(tracked.pageErrors, []);
      });
    });
  }

  it('git URL install (git+file:// of the fresh clone): prepare builds it, the nodes load and stream from the simulator', async () => {
    const userDir = await ready().installFromGit();
    const installed = path.join(userDir, 'node_modules', ...packageName.split('/'));
    assert.ok(fs.existsSync(path.join(installed, 'dist', 'nodes', 'kis-tick.js')), 'the git install has no dist/');
    const flows: FlowNode[] = [
      { id: 'tab', type: 'tab', label: 'git install' },
      { id: 'cfg', type: 'kis-config', name: 'KIS simulator', server: 'simulator' },
      { id: 'tick', type: 'kis-tick', z: 'tab', server: 'cfg', codes: '005930, 000660', exchange: 'UN', output: 'each', conflateMs: 500, payload: 'full', x: 150, y: 60, wires: [['dbg']] },
      { id: 'dbg', type: 'debug', z: 'tab', active: true, tosidebar: true, console: false, complete: 'false', x: 400, y: 60, wires: [] },
    ];
    const red = await startPlain(ready(), userDir, 'en-US', flows);
    try {
      await assertOnlyThisPackage(red);
      const comms = await listenComms(red.url);
      try {
        for (const code of ['005930', '000660']) await comms.waitForDebug('dbg', 1, 30000, (e) => e.topic === code);
      } finally {
        await comms.close();
      }
    } finally {
      await red.stop();
    }
  });
});
