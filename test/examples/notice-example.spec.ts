/**
 * examples/10-order-fill-alert.json in a real Node-RED with this package, as shipped, against the
 * embedded simulator (its demo customer places orders on its own): kis-notice turns green, fill
 * alerts reach both outputs with the text an e-mail or Telegram node takes, no red badge, no
 * [error] or [warn] line.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, startNodeRed, type FlowNode, type NodeRedProcess } from '../helpers/node-red-process';
import { listenComms, type CommsListener } from './comms';

const TAB: FlowNode = { id: 'kis-example', type: 'tab', label: 'example' };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('examples/10-order-fill-alert.json (kis-notice)', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let comms: CommsListener;

  before(async () => {
    red = await startNodeRed({ settings: { logging: { console: { level: 'info', metrics: false, audit: false } } } });
    comms = await listenComms(red.url);
  });
  after(async () => {
    await comms?.close();
    await red?.stop();
  });

  it('imports and deploys as shipped; fill alerts come out ready for e-mail and Telegram; no red badge or warn line', async () => {
    const flow = JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples', '10-order-fill-alert.json'), 'utf8')) as FlowNode[];
    assert.equal(flow[0]?.type, 'comment');
    assert.ok(flow.some((n) => n.type === 'kis-notice'));
    const mark = red.output().length;
    await red.deploy([TAB, ...flow]);
    const mails = await comms.waitForDebug('kn-mail', 1, 40000);
    const mail = JSON.parse(mails[0]!.msg) as { topic: string; payload: string; notice: { kind: string; account: string; fields: Record<string, unknown> } };
    assert.match(mail.topic, /^\[KIS\] (체결|거부) /);
    assert.match(mail.payload, /(✅ 체결|⛔ 주문 거부) .+\((\d{6})\).+KST/);
    assert.match(mail.payload, /\n(Filled|Rejected): /);
    assert.match(mail.notice.account, /^\d\d\*+\d\d$/, 'the account is masked');
    assert.equal(mail.notice.fields.CUST_ID, '***');
    const telegrams = await comms.waitForDebug('kn-telegram', 1, 10000);
    const tg = JSON.parse(telegrams[0]!.msg) as { chatId: string; type: string; content: string };
    assert.equal(tg.type, 'message');
    assert.equal(tg.content, mail.payload);
    assert.ok(comms.status.some((s) => s.id === 'kn-notice' && s.fill === 'green'), 'kis-notice went green');
    await sleep(500);
    assert.deepEqual(comms.status.filter((s) => s.fill === 'red'), []);
    const bad = red.output().slice(mark).split('\n').filter((line) => /\[error\]|\[warn\]|Waiting for missing types/.test(line));
    assert.deepEqual(bad, []);
  });
});
