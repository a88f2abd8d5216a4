import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseFrame, type ControlFrame } from '../../lib/protocol/parse-frame';
import { PacedSendQueue, type PacedRequest } from '../../lib/session/send-queue';

function ack(trId: string, trKey: string, msgCd: string): ControlFrame {
  const f = parseFrame(JSON.stringify({ header: { tr_id: trId, tr_key: trKey, encrypt: 'N' }, body: { rt_cd: msgCd === 'OPSP0000' ? '0' : '1', msg_cd: msgCd, msg1: 'x' } }));
  if (f.type !== 'control') throw new Error('fixture ack did not parse');
  return f;
}

interface Recorded extends PacedRequest {
  readonly acks: string[];
  timeouts: number;
}

function request(trId: string, trKey: string, trType: '1' | '2' = '1'): Recorded {
  const r: Recorded = {
    trType, trId, trKey, acks: [], timeouts: 0,
    onAck(a) { r.acks.push(a.msgCd); },
    onAckTimeout() { r.timeouts++; },
  };
  return r;
}

describe('session/PacedSendQueue', () => {
  let queue: PacedSendQueue | null = null;
  afterEach(() => queue?.clear());

  it('spaces requests by at least pacingMs and sends the first one at once', async () => {
    const sentAt: number[] = [];
    const sent: string[] = [];
    queue = new PacedSendQueue({ pacingMs: 40, ackTimeoutMs: 5000, send: (r) => { sentAt.push(performance.now()); sent.push(r.trKey); } });
    const t0 = performance.now();
    for (let i = 0; i < 6; i++) queue.enqueue(request('H0STCNT0', `00000${i}`));
    assert.equal(sent.length, 1, 'first request goes out synchronously');
    assert.ok((sentAt[0] as number) - t0 < 5);
    await sleep(40 * 5 + 80);
    assert.deepEqual(sent, ['000000', '000001', '000002', '000003', '000004', '000005'], 'FIFO order');
    for (let i = 1; i < sentAt.length; i++) {
      const gap = (sentAt[i] as number) - (sentAt[i - 1] as number);
      assert.ok(gap >= 40, `gap ${i} was ${gap.toFixed(2)} ms`);
    }
    assert.equal(queue.awaitingAck, 6);
  });

  it('matches acks to requests by (tr_id, tr_key) in request order', () => {
    queue = new PacedSendQueue({ pacingMs: 0, ackTimeoutMs: 5000, send: () => undefined });
    const a = request('H0STCNT0', '005930'), b = request('H0STASP0', '005930'), c = request('H0STCNT0', '005930', '2');
    queue.enqueue(a); queue.enqueue(b); queue.enqueue(c);
    return sleep(20).then(() => {
      assert.equal(queue?.handleAck(ack('H0STASP0', '005930', 'OPSP0000')), true);
      assert.equal(queue?.handleAck(ack('H0STCNT0', '005930', 'OPSP0000')), true);
      assert.equal(queue?.handleAck(ack('H0STCNT0', '005930', 'OPSP0001')), true);
      assert.equal(queue?.handleAck(ack('H0STCNT0', '005930', 'OPSP0001')), false, 'nothing left to match');
      assert.deepEqual([a.acks, b.acks, c.acks], [['OPSP0000'], ['OPSP0000'], ['OPSP0001']]);
      assert.equal(queue?.awaitingAck, 0);
    });
  });

  it('charges an ack without tr_key to no request (it names none)', async () => {
    queue = new PacedSendQueue({ pacingMs: 0, ackTimeoutMs: 5000, send: () => undefined });
    const a = request('H0STCNT0', '005930'), b = request('H0STCNT0', '000660');
    queue.enqueue(a); queue.enqueue(b);
    await sleep(10);
    assert.equal(queue.handleAck(ack('', '', 'OPSP9999')), false);
    assert.equal(queue.handleAck(ack('H0STCNT0', '', 'OPSP9999')), false);
    assert.deepEqual(a.acks, []);
    assert.deepEqual(b.acks, []);
    assert.equal(queue.handleAck(ack('H0STCNT0', '005930', 'OPSP0000')), true, 'its real ack still matches');
    assert.deepEqual(a.acks, ['OPSP0000']);
  });

  it('times out a missing ack, once, and ignores a late ack', async () => {
    queue = new PacedSendQueue({ pacingMs: 0, ackTimeoutMs: 30, send: () => undefined });
    const a = request('H0STCNT0', '005930');
    queue.enqueue(a);
    await sleep(80);
    assert.equal(a.timeouts, 1);
    assert.equal(queue.handleAck(ack('H0STCNT0', '005930', 'OPSP0000')), false);
    assert.deepEqual(a.acks, []);
  });

  it('withdraws unsent requests and clears everything without callbacks', async () => {
    const sent: string[] = [];
    queue = new PacedSendQueue({ pacingMs: 30, ackTimeoutMs: 20, send: (r) => sent.push(r.trKey) });
    const a = request('H0STCNT0', '005930'), b = request('H0STCNT0', '000660'), c = request('H0STCNT0', '035720');
    queue.enqueue(a); queue.enqueue(b); queue.enqueue(c);
    assert.equal(queue.withdraw(a), false, 'already sent');
    assert.equal(queue.withdraw(b), true);
    assert.equal(queue.queued, 1);
    queue.clear();
    await sleep(80);
    assert.deepEqual(sent, ['005930']);
    assert.equal(a.timeouts + c.timeouts, 0, 'clear() fires no timeouts');
  });

  it('survives a send that throws (socket closing)', async () => {
    let n = 0;
    queue = new PacedSendQueue({ pacingMs: 5, ackTimeoutMs: 1000, send: () => { n++; throw new Error('not connected'); } });
    queue.enqueue(request('H0STCNT0', '005930'));
    queue.enqueue(request('H0STCNT0', '000660'));
    await sleep(40);
    assert.equal(n, 2);
  });
});
