/**
 * The simulator's stock master: KIS's master files (docs/protocol/master-files.md), generated from
 * the simulator's own universe and served at KIS's paths on the simulator's HTTP port, so the
 * whole path (download, unzip, parse, cache, search) runs offline. The universe *is* the master:
 * a code outside it is a code that does not exist (see the subscribe handler in server.ts).
 * Layout and encoding come from lib/protocol/master-file.ts; prices from the market model's
 * profiles (기준가 = 전일 종가, on the KRX tick grid).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatMasterLine, MASTER_FILES, type MasterFileId, type MasterMarket } from '../protocol/master-file';
import type { TrKeyType, TrTable } from '../protocol/tr-tables';
import { writeZip } from '../protocol/zip';
import type { Feed } from './families';
import { stockProfile } from './market';
import { ELW_LISTINGS, elwListing, isEtf, namedListing, UNIVERSE } from './universe';

/** One security of the simulated universe, as the master describes it. */
export interface UniverseStock {
  readonly code: string;
  readonly name: string;
  readonly market: MasterMarket;
  readonly nxt: boolean;
  /** An ETF (증권그룹 EF), else a share (ST). */
  readonly etf?: boolean;
  /** ELWs of the simulated universe are written on it (elw_pblc_yn Y). */
  readonly elwIssued?: boolean;
  readonly suspended?: boolean;
  readonly managed?: boolean;
}

/** The universe the simulator trades and lists (lib/simulator/universe.ts). */
export function simulatorUniverse(): readonly UniverseStock[] {
  const underlyings = new Set(ELW_LISTINGS.map((e) => e.underlying));
  return UNIVERSE.map((l) => ({ code: l.code, name: l.name, market: l.market, nxt: l.nxtTradable, etf: l.etfIndex !== undefined, elwIssued: underlyings.has(l.code) }));
}

/** Is the code listed in the simulator's master (does the stock exist)? */
export function isListed(code: string): boolean {
  return namedListing(code) !== undefined;
}

/** Does a security of the key's type exist for `key`: a listed stock (ETFs included), an ETF, an ELW? */
function exists(keyType: TrKeyType, key: string): boolean {
  if (keyType === 'etf') return isEtf(key);
  if (keyType === 'elw') return elwListing(key) !== undefined;
  return isListed(key);
}

/**
 * The feed of a subscription to a well-formed code that is not listed: none. KIS acknowledges such
 * a registration (OPSP0000) and then sends nothing for it (docs/protocol/master-files.md §Codes
 * that do not exist); the registration still counts toward the session's limit.
 */
const NO_SUCH_STOCK: Feed = Object.freeze({ pace: 'interval' as const, next: () => null });

/**
 * The feed for a new subscription: the family's, or nothing for a code no security of the TR's key
 * type has (an unlisted stock, a stock code on the ETF NAV TR, an unknown ELW code).
 */
export function feedFor(table: TrTable, key: string, open: () => Feed): Feed {
  const stockKeyed = table.keyField === 'MKSC_SHRN_ISCD';
  if (stockKeyed && !exists(table.keyType, key)) return NO_SUCH_STOCK;
  try {
    return open();
  } catch {
    // A family that has no listing for the key (it throws) must not take the server, or a
    // Node-RED embedding it, down: the code then behaves like one that does not exist.
    return NO_SUCH_STOCK;
  }
}

/** ISO 6166 check digit: letters become two digits (A=10 … Z=35), then Luhn from the right. */
export function isinCheckDigit(body: string): number {
  let digits = '';
  for (const ch of body) digits += /[0-9]/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(digits[i]) * (double ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** KRX's ISIN of a 6-character short code (`005930` → `KR7005930003`). */
export function isinOf(code: string): string {
  const body = `KR7${code}00`;
  return body + String(isinCheckDigit(body));
}

function lineOf(stock: UniverseStock, seed: number): Buffer {
  const p = stockProfile(stock.code, seed);
  const kospi = stock.market === 'KOSPI';
  const etf = stock.etf === true;
  const capEok = Math.round((p.prevClose * p.listedShares) / 1e8);
  return formatMasterLine(
    {
      code: stock.code,
      isin: isinOf(stock.code),
      name: stock.name,
      fields: {
        scrt_grp_cls_code: etf ? 'EF' : 'ST',
        avls_scal_cls_code: capEok >= 100_000 ? '1' : capEok >= 10_000 ? '2' : '3',
        mnin_cls_code_yn: 'N', low_current_yn: 'N', sprn_strr_nmix_issu_yn: 'N', vntr_issu_yn: 'N',
        kospi200_apnt_cls_code: kospi && !etf ? '5' : '0', kospi100_issu_yn: 'N', kospi50_issu_yn: 'N',
        krx_issu_yn: 'N', etp_prod_cls_code: '0', elw_pblc_yn: stock.elwIssued === true ? 'Y' : 'N', krx100_issu_yn: 'N',
        etpr_undt_objt_co_yn: 'N', short_over_cls_code: '0', invt_alrm_yn: 'N', ksq150_nmix_yn: 'N',
        stck_sdpr: p.prevClose,
        frml_mrkt_deal_qty_unit: 1,
        ovtm_mrkt_deal_qty_unit: 1,
        trht_yn: stock.suspended === true ? 'Y' : 'N',
        sltr_yn: 'N',
        mang_issu_yn: stock.managed === true ? 'Y' : 'N',
        mrkt_alrm_cls_code: '00',
        mrkt_alrm_risk_adnt_yn: 'N', insn_pbnt_yn: 'N', byps_lstn_yn: 'N',
        flng_cls_code: '00', fcam_mod_cls_code: '00', icic_cls_code: '00',
        marg_rate: 40, crdt_able: 'Y', crdt_days: 150,
        prdy_vol: p.prevDayVolume,
        stck_fcam: 100,
        stck_lstn_date: '19900101',
        lstn_stcn: Math.round(p.listedShares / 1000),
        cpfn: Math.round(p.listedShares * 100),
        stac_month: '12',
        po_prc: 0,
        prst_cls_code: '0', ssts_hot_yn: 'N', stange_runup_yn: 'N', krx300_issu_yn: 'Y', kospi_issu_yn: kospi ? 'Y' : 'N',
        prdy_avls_scal: capEok,
        co_crdt_limt_over_yn: 'N', secu_lend_able_yn: 'Y', stln_able_yn: 'Y',
      },
    },
    stock.market,
  );
}

function fileOf(id: MasterFileId, universe: readonly UniverseStock[], seed: number): Buffer {
  const spec = MASTER_FILES[id];
  const lines: Buffer[] = [];
  for (const s of universe) {
    if (s.market !== spec.market || (spec.nxt && !s.nxt)) continue;
    lines.push(lineOf(s, seed), Buffer.from('\n'));
  }
  return Buffer.concat(lines);
}

/**
 * A request handler for KIS's master paths (GET only): true when it answered. The archives are
 * built on the first request and kept.
 */
export function masterFileHandler(seed: number): (req: IncomingMessage, res: ServerResponse) => boolean {
  let archives: ReadonlyMap<string, Buffer> | null = null;
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith('/common/master/')) return false;
    archives ??= masterArchives(seed);
    const zip = archives.get(path);
    if (zip === undefined) return false;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length });
    res.end(zip);
    return true;
  };
}

/** Every master zip of the universe, by its URL path. */
export function masterArchives(seed: number, universe: readonly UniverseStock[] = simulatorUniverse()): ReadonlyMap<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const id of Object.keys(MASTER_FILES) as MasterFileId[]) {
    const spec = MASTER_FILES[id];
    out.set(spec.path, writeZip([{ name: spec.member, data: fileOf(id, universe, seed) }]));
  }
  return out;
}
