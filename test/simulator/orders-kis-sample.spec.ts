/**
 * KIS's own sample client against the simulator's 체결통보, step by step as
 * koreainvestment/open-trading-api examples_llm/kis_auth.py does it (reproduced here, not copied:
 * that client needs python websockets, pycryptodome and pandas): subscribe H0STCNI0 with tr_key =
 * my_htsid; from the ack keep header.encrypt, body.output.iv and body.output.key (system_resp);
 * for a frame starting with "0" or "1": split on "|", take part 3 and, when the stored encrypt is
 * "Y", AES-256-CBC-decrypt it with key/iv as UTF-8 bytes, base64-decoded, PKCS#7-unpadded
 * (aes_cbc_base64_dec); then split the text on "^" into the 26 ccnl_notice columns.
 */
import { strict as assert } from 'node:assert';
import { createDecipheriv } from 'node:crypto';
import WebSocket from 'ws';
import { startSimulator } from '../../lib/simulator';
import type { RunningSimulator } from '../../lib/simulator/types';
import { approvalKey } from './support';

/** The columns of examples_llm/domestic_stock/ccnl_notice/ccnl_notice.py, in its order. */
const COLUMNS = [
  'CUST_ID', 'ACNT_NO', 'ODER_NO', 'OODER_NO', 'SELN_BYOV_CLS', 'RCTF_CLS', 'ODER_KIND', 'ODER_COND', 'STCK_SHRN_ISCD', 'CNTG_QTY', 'CNTG_UNPR',
  'STCK_CNTG_HOUR', 'RFUS_YN', 'CNTG_YN', 'ACPT_YN', 'BRNC_NO', 'ODER_QTY', 'ACNT_NAME', 'ORD_COND_PRC', 'ORD_EXG_GB', 'POPUP_YN', 'FILLER', 'CRDT_CLS',
  'CRDT_LOAN_DATE', 'CNTG_ISNM40', 'ODER_PRC',
];

/** aes_cbc_base64_dec(key, iv, cipher_text) */
function aesCbcBase64Dec(key: string, iv: string, cipherText: string): string {
  const d = createDecipheriv('aes-256-cbc', Buffer.from(key, 'utf8'), Buffer.from(iv, 'utf8'));
  return Buffer.concat([d.update(Buffer.from(cipherText, 'base64')), d.final()]).toString('utf8');
}

describe('KIS sample client (kis_auth.py steps) decrypts the simulator\'s 체결통보', function () {
  this.timeout(20000);
  let sim: RunningSimulator;
  afterEach(() => sim?.stop());

  for (const [mode, trId] of [['real', 'H0STCNI0'], ['paper', 'H0STCNI9']] as const) {
    it(`${trId} (${mode}): finds its configured HTS ID and account, accepted and fill notices`, async () => {
      // As `kis-simulator --hts-id hong01 --account 73640192 --mode …` and kis_devlp.yaml my_htsid / my_acct + my_prod.
      sim = await startSimulator({ mode, htsId: 'hong01', account: '73640192', autoOrderIntervalMs: 1500, seed: 4 });
      const myHtsId = 'hong01', myAcct = '73640192', myProd = '01';
      const approval = await approvalKey(sim);
      const ws = new WebSocket(sim.wsUrl);
      await new Promise((r) => ws.once('open', r));
      const dataMap: Record<string, { encrypt?: string; key?: string; iv?: string }> = {};
      const rows: Record<string, string>[] = [];
      ws.on('message', (raw: WebSocket.RawData) => {
        const text = raw.toString();
        if (text[0] === '0' || text[0] === '1') {
          const d1 = text.split('|');
          assert.ok(d1.length >= 4, 'data not found...');
          const dm = dataMap[d1[1]!]!;
          let d = d1[3]!;
          if (dm.encrypt === 'Y') d = aesCbcBase64Dec(dm.key!, dm.iv!, d);
          // pandas.read_csv(StringIO(d), sep="^", names=columns, dtype=object): one row per record
          const values = d.split('^');
          const n = Number(d1[2]);
          assert.equal(values.length, n * COLUMNS.length);
          for (let i = 0; i < n; i++) rows.push(Object.fromEntries(COLUMNS.map((c, j) => [c, values[i * COLUMNS.length + j]!])));
        } else {
          const rdic = JSON.parse(text) as { header: { tr_id: string; tr_key?: string; encrypt?: string }; body?: { rt_cd: string; output?: { iv: string; key: string } } };
          if (rdic.header.tr_id === 'PINGPONG') return void ws.send(text);
          dataMap[rdic.header.tr_id] = { encrypt: rdic.header.encrypt, ...(rdic.body?.output && { iv: rdic.body.output.iv, key: rdic.body.output.key }) };
        }
      });
      ws.send(JSON.stringify({ header: { approval_key: approval, custtype: 'P', tr_type: '1', 'content-type': 'utf-8' }, body: { input: { tr_id: trId, tr_key: myHtsId } } }));
      const deadline = Date.now() + 12000;
      while (!(rows.some((r) => r.CNTG_YN === '1') && rows.some((r) => r.CNTG_YN === '2'))) {
        assert.ok(Date.now() < deadline, `no accepted and fill notices: ${JSON.stringify(rows.slice(0, 3))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      ws.close();
      assert.equal(dataMap[trId]!.encrypt, 'Y');
      for (const r of rows) {
        assert.equal(r.CUST_ID, myHtsId);
        assert.equal(r.ACNT_NO, myAcct + myProd);
        assert.match(r.STCK_SHRN_ISCD!, /^\d{6}$/);
        assert.match(r.ODER_NO!, /^\d{10}$/);
      }
    });
  }
});
