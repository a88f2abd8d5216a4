/**
 * The simulator serves either layout edition (`doc`, `2026-09`; docs/protocol/realtime-trs.md,
 * layout drift), and the project's session client reads both: every record arrives with the
 * layout variant of that edition, named fields and no extras.
 */
import { strict as assert } from 'node:assert';
import type { DataFrame } from '../../lib/protocol/parse-frame';
import type { KisRecord } from '../../lib/protocol/record-parser';
import { LAYOUT_EDITIONS, layoutFor, TR_TABLES, type TrId } from '../../lib/protocol/tr-tables';
import { clearApprovalKeyCache } from '../../lib/session/approval';
import { KisSession } from '../../lib/session/session';
import type { RecordSink, SubscriptionError } from '../../lib/session/types';
import { startSimulator } from '../../lib/simulator/server';
import type { RunningSimulator } from '../../lib/simulator/types';
import { sleep } from './support';

class Collect implements RecordSink {
  readonly records: { record: KisRecord; variant: string | null; fields: number }[] = [];
  readonly errors: SubscriptionError[] = [];
  onRecord(record: KisRecord, frame: DataFrame): void {
    this.records.push({ record, variant: frame.variant?.id ?? null, fields: frame.fieldsPerRecord });
  }
  onSubscriptionError(error: SubscriptionError): void {
    this.errors.push(error);
  }
}

/** The TRs that stream in continuous trading (the simulator's `always` market), with a key. */
const STREAMING: readonly [TrId, string][] = [
  ['H0STCNT0', '005930'], ['H0NXCNT0', '005930'], ['H0UNCNT0', '005930'],
  ['H0STASP0', '005930'], ['H0NXASP0', '005930'], ['H0UNASP0', '005930'],
  ['H0STMBC0', '000660'], ['H0UNMBC0', '000660'], ['H0STPGM0', '000660'], ['H0UNPGM0', '000660'],
  ['H0UPCNT0', '0001'], ['H0UPPGM0', '2001'],
];

for (const edition of LAYOUT_EDITIONS) {
  describe(`simulator layout ${edition} read by the session client`, function () {
    this.timeout(60_000);
    let sim: RunningSimulator;
    let session: KisSession;
    beforeEach(async () => {
      clearApprovalKeyCache();
      sim = await startSimulator({ rate: 40, layout: edition });
      session = new KisSession({ appKey: sim.appKey, appSecret: sim.appSecret, restUrl: sim.restUrl, wsUrl: sim.wsUrl, pacingMs: 10 });
    });
    afterEach(async () => {
      await session.stop();
      await sim.stop();
    });

    it(`gets every streaming TR in the ${edition} layouts, fields named, nothing unknown`, async () => {
      session.start();
      const sinks = new Map<string, Collect>();
      for (const [trId, key] of STREAMING) {
        const sink = new Collect();
        sinks.set(trId, sink);
        session.subscribe(trId, key, sink);
      }
      const t0 = Date.now();
      while ([...sinks.values()].some((s) => s.records.length < 3) && Date.now() - t0 < 30_000) await sleep(50);
      for (const [trId] of STREAMING) {
        const sink = sinks.get(trId)!;
        assert.deepEqual(sink.errors, [], trId);
        assert.ok(sink.records.length >= 3, `${trId}: ${sink.records.length} records`);
        const expected = layoutFor(TR_TABLES[trId], edition);
        for (const r of sink.records) {
          assert.equal(r.variant, expected.id, `${trId} read as its ${edition} layout`);
          assert.equal(r.fields, expected.fields.length);
          for (const f of expected.fields) assert.ok(f.name in r.record, `${trId}.${f.name}`);
          assert.ok(!Object.keys(r.record).some((k) => /^FIELD_\d+$/.test(k) && !expected.fields.some((f) => f.name === k)), `${trId}: no unnamed extras`);
        }
      }
      const tick = sinks.get('H0STCNT0')!.records[0]!.record;
      if (edition === '2026-09') assert.equal(tick['MARKET_CLS_CODE'], '2', 'regular session');
      else assert.ok(!('MARKET_CLS_CODE' in tick));
    });
  });
}
