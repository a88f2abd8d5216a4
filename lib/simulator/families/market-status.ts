/**
 * 장운영정보 (H0STMKO0 / H0NXMKO0 / H0UNMKO0): events, not a periodic stream — KRX session changes
 * (opening call 110/311, open 112, closing call 121, close 129, 시간외 단일가 150), a VI triggered
 * (VI_CLS_CODE Y, ANTC 311) and released (N, 112), trading halted (TRHT_YN Y, state 58) and resumed
 * (docs/protocol/realtime-trs.md, 장운영정보). Each subscriber sees the events from its subscription
 * on, each once. The feed also keeps its code's market moving, so a VI can happen for a code whose
 * trades nobody subscribed to.
 */
import type { TrTable } from '../../protocol/tr-tables';
import type { MarketEvent } from '../events';
import type { MarketModel } from '../market';
import { newTradeSnapshot } from '../price-process';
import { builderFor, compileKindBuilders, type FieldSource } from '../record-builder';
import type { Feed, TrFamily } from './family';

export interface StatusContext {
  code: string;
  e: MarketEvent;
}

const yn = (b: boolean): string => (b ? 'Y' : 'N');

export const STATUS_SOURCES: Readonly<Record<string, FieldSource<StatusContext>>> = {
  MKSC_SHRN_ISCD: (c) => c.code,
  TRHT_YN: (c) => yn(c.e.halted),
  TR_SUSP_REAS_CNTT: (c) => c.e.haltReason,
  MKOP_CLS_CODE: (c) => c.e.mkop,
  ANTC_MKOP_CLS_CODE: (c) => c.e.antcMkop,
  MRKT_TRTM_CLS_CODE: () => '',
  DIVI_APP_CLS_CODE: () => '',
  ISCD_STAT_CLS_CODE: (c) => c.e.stockState,
  VI_CLS_CODE: (c) => yn(c.e.vi),
  OVTM_VI_CLS_CODE: () => 'N',
  // Values undocumented; we send 1 for a KRX event and 2 for an NXT one (our choice).
  EXCH_CLS_CODE: (c) => (c.e.venue === 'KRX' ? '1' : '2'),
};

const NO_EVENT: MarketEvent = { seq: 0, time: '', venue: 'KRX', halted: false, haltReason: '(null)', mkop: '', antcMkop: '', stockState: '55', vi: false };

const BUILDERS = compileKindBuilders<StatusContext>('market-status', STATUS_SOURCES);

export const marketStatusFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(BUILDERS, table, model.layout);
    const venue = table.venue;
    if (venue === null) throw new Error(`simulator: ${table.trId} is not a 장운영정보 TR`);
    const m = model.market(key);
    let cursor = m.events.last;
    const scratch = newTradeSnapshot();
    const c: StatusContext = { code: key, e: NO_EVENT };
    return {
      pace: 'rate',
      next(clock) {
        if (!m.servesVenue(venue)) return null;
        m.advance(clock);
        const e = m.events.after(cursor, venue);
        if (e === undefined) {
          // Nothing to announce: let the market of the code move on (it may trigger a VI).
          m.trade(venue, clock, scratch);
          return null;
        }
        cursor = e.seq;
        c.e = e;
        return build(c);
      },
    };
  },
};
