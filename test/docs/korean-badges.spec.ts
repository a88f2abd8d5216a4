/**
 * What the README's "Korean status badges" section promises, done each way it lists: the runtime's
 * language (settings.js `lang`, `node-red -D lang=ko`, or the process locale LANG) makes the status
 * badges Korean; with none of them (a C locale) they are English. The badge text is read from the
 * editor channel, as the editor shows it.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listenComms } from '../examples/comms';
import { repoRoot, startNodeRed, type FlowNode, type NodeRedStartOptions } from '../helpers/node-red-process';

const flows: FlowNode[] = [
  { id: 'tab', type: 'tab', label: 'locale' },
  { id: 'cfg', type: 'kis-config', name: 'KIS simulator', server: 'simulator' },
  { id: 'tick', type: 'kis-tick', z: 'tab', server: 'cfg', codes: '005930, 000660', exchange: 'UN', output: 'each', conflateMs: 500, payload: 'full', x: 150, y: 60, wires: [[]] },
];
const LOCALE_VARS = ['LC_ALL', 'LC_MESSAGES', 'LANG'];

function connectedText(lang: 'ko' | 'en-US'): string {
  const catalog = JSON.parse(readFileSync(join(repoRoot, 'nodes', 'locales', lang, 'kis-config.json'), 'utf8')) as { 'kis-config': { status: { connected: string } } };
  return catalog['kis-config'].status.connected.replace('__n__', '2');
}

async function badgeWith(options: NodeRedStartOptions): Promise<string> {
  const red = await startNodeRed({ flows, ...options });
  const comms = await listenComms(red.url);
  try {
    const deadline = Date.now() + 20000;
    for (;;) {
      const green = comms.status.filter((s) => s.id === 'tick' && s.fill === 'green');
      if (green.length > 0) return green[green.length - 1]?.text ?? '';
      if (Date.now() > deadline) throw new Error(`no green badge: ${JSON.stringify(comms.status)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await comms.close();
    await red.stop();
  }
}

describe('README: Korean status badges, each way it lists', function () {
  this.timeout(120000);
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

  it('the README names the three ways', () => {
    assert.match(readme, /lang: 'ko'/);
    assert.match(readme, /node-red -D lang=ko/);
    assert.match(readme, /LANG=ko_KR\.UTF-8 node-red/);
  });

  it("no language set (C locale): English badges", async () => {
    assert.equal(await badgeWith({ unsetEnv: LOCALE_VARS, env: { LANG: 'C' } }), connectedText('en-US'));
  });

  it("settings.js lang: 'ko'", async () => {
    assert.equal(await badgeWith({ unsetEnv: LOCALE_VARS, settings: { lang: 'ko' } }), connectedText('ko'));
  });

  it('node-red -D lang=ko', async () => {
    assert.equal(await badgeWith({ unsetEnv: LOCALE_VARS, args: ['-D', 'lang=ko'] }), connectedText('ko'));
  });

  it('LANG=ko_KR.UTF-8 (LC_ALL and LC_MESSAGES unset)', async () => {
    assert.equal(await badgeWith({ unsetEnv: LOCALE_VARS, env: { LANG: 'ko_KR.UTF-8' } }), connectedText('ko'));
  });
});
