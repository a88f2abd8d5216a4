/**
 * The simulated stock universe: every listing the simulator knows by name (code, names, base
 * price, market, NXT eligibility; ETFs with the index they track; ELWs with their terms), and the
 * rule for any other valid code. The market model, the
 * index feeds and the stock-master files all read this one list.
 *
 * The well-known names come from lib/protocol KNOWN_STOCKS (the editor's list), so the editor
 * and the simulator agree on names and prices; EXTRA_LISTINGS adds simulated-only names.
 */
import { KNOWN_STOCKS } from '../protocol/stock-codes';
import type { ElwTerms } from './elw-pricing';
import { hashSeed, Prng } from './prng';
import { snapDown } from './tick-size';

export type ListingMarket = 'KOSPI' | 'KOSDAQ';

/** One listed stock of the simulated universe. */
export interface Listing {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly market: ListingMarket;
  /** 기준가 before any trade: the simulated previous close (KRW; snapped to the tick grid on use). */
  readonly basePrice: number;
  /** Traded on NXT (넥스트레이드) as well as KRX. */
  readonly nxtTradable: boolean;
  /** For an ETF: the simulated index (indices.ts) its NAV tracks; absent for shares. */
  readonly etfIndex?: string;
}

/**
 * Simulated-only listings: mid-cap KOSDAQ names, most of them not NXT-tradable, as in reality
 * (NXT trades a few hundred of the ~2,700 KRX stocks, mostly KOSPI and large KOSDAQ names).
 */
const EXTRA_LISTINGS: readonly Listing[] = [
  { code: '058470', name: '리노공업', nameEn: 'LEENO Industrial', market: 'KOSDAQ', basePrice: 189000, nxtTradable: true },
  { code: '145020', name: '휴젤', nameEn: 'Hugel', market: 'KOSDAQ', basePrice: 251000, nxtTradable: true },
  { code: '214150', name: '클래시스', nameEn: 'Classys', market: 'KOSDAQ', basePrice: 43150, nxtTradable: false },
  { code: '035900', name: 'JYP Ent.', nameEn: 'JYP Entertainment', market: 'KOSDAQ', basePrice: 61800, nxtTradable: false },
  { code: '039030', name: '이오테크닉스', nameEn: 'EO Technics', market: 'KOSDAQ', basePrice: 142600, nxtTradable: false },
  { code: '240810', name: '원익IPS', nameEn: 'Wonik IPS', market: 'KOSDAQ', basePrice: 27350, nxtTradable: false },
  { code: '357780', name: '솔브레인', nameEn: 'Soulbrain', market: 'KOSDAQ', basePrice: 228500, nxtTradable: false },
  { code: '036930', name: '주성엔지니어링', nameEn: 'Jusung Engineering', market: 'KOSDAQ', basePrice: 31200, nxtTradable: false },
  { code: '095340', name: 'ISC', nameEn: 'ISC', market: 'KOSDAQ', basePrice: 58700, nxtTradable: false },
  { code: '068760', name: '셀트리온제약', nameEn: 'Celltrion Pharm', market: 'KOSDAQ', basePrice: 71800, nxtTradable: false },
  { code: '277810', name: '레인보우로보틱스', nameEn: 'Rainbow Robotics', market: 'KOSDAQ', basePrice: 168900, nxtTradable: false },
  { code: '112040', name: '위메이드', nameEn: 'Wemade', market: 'KOSDAQ', basePrice: 29450, nxtTradable: false },
  { code: '078340', name: '컴투스', nameEn: 'Com2uS', market: 'KOSDAQ', basePrice: 38650, nxtTradable: false },
  { code: '253450', name: '스튜디오드래곤', nameEn: 'Studio Dragon', market: 'KOSDAQ', basePrice: 41200, nxtTradable: false },
  { code: '022100', name: '포스코DX', nameEn: 'POSCO DX', market: 'KOSDAQ', basePrice: 27800, nxtTradable: false },
  { code: '000250', name: '삼천당제약', nameEn: 'Samchundang Pharm', market: 'KOSDAQ', basePrice: 98300, nxtTradable: false },
  { code: '141080', name: '리가켐바이오', nameEn: 'LigaChem Biosciences', market: 'KOSDAQ', basePrice: 104500, nxtTradable: false },
  { code: '058820', name: 'CMG제약', nameEn: 'CMG Pharmaceutical', market: 'KOSDAQ', basePrice: 2365, nxtTradable: false },
  { code: '900140', name: '엘브이엠씨홀딩스', nameEn: 'LVMC Holdings', market: 'KOSDAQ', basePrice: 2890, nxtTradable: false },
  { code: '032500', name: '케이엠더블유', nameEn: 'KMW', market: 'KOSDAQ', basePrice: 11920, nxtTradable: false },
  { code: '033640', name: '네패스', nameEn: 'Nepes', market: 'KOSDAQ', basePrice: 13480, nxtTradable: false },
  { code: '950130', name: '엑세스바이오', nameEn: 'Access Bio', market: 'KOSDAQ', basePrice: 6420, nxtTradable: false },
  { code: '011200', name: 'HMM', nameEn: 'HMM', market: 'KOSPI', basePrice: 18650, nxtTradable: true },
  { code: '003490', name: '대한항공', nameEn: 'Korean Air', market: 'KOSPI', basePrice: 22450, nxtTradable: true },
  { code: '090430', name: '아모레퍼시픽', nameEn: 'Amorepacific', market: 'KOSPI', basePrice: 128700, nxtTradable: true },
  { code: '004020', name: '현대제철', nameEn: 'Hyundai Steel', market: 'KOSPI', basePrice: 24800, nxtTradable: false },
  { code: '002790', name: '아모레G', nameEn: 'Amorepacific Group', market: 'KOSPI', basePrice: 27650, nxtTradable: false },
];

/**
 * ETFs: they trade like shares (체결/호가 of the stock TRs, KOSPI master with group EF) and have a
 * NAV (H0STNAV0) that follows the simulated index given. 229200 follows the simulated KOSDAQ index
 * (1001) as a stand-in for KOSDAQ150, which the simulator does not compute. Base prices are about
 * 100 × the index's previous close (KODEX 200 ≈ 100 × KOSPI200). Not on NXT (NXT trades shares
 * only). Simplification: they trade on the shares' tick grid (50 KRW at 35,000), not KRX's ETF grid
 * (5 KRW), which the one price process does not distinguish.
 */
const ETF_LISTINGS: readonly Listing[] = [
  { code: '069500', name: 'KODEX 200', nameEn: 'KODEX 200', market: 'KOSPI', basePrice: 35500, nxtTradable: false, etfIndex: '2001' },
  { code: '102110', name: 'TIGER 200', nameEn: 'TIGER 200', market: 'KOSPI', basePrice: 35600, nxtTradable: false, etfIndex: '2001' },
  { code: '229200', name: 'KODEX 코스닥150', nameEn: 'KODEX KOSDAQ150', market: 'KOSPI', basePrice: 13050, nxtTradable: false, etfIndex: '1001' },
];

/** Every named listing: the editor's well-known stocks first, then the simulated-only ones and the ETFs. */
export const UNIVERSE: readonly Listing[] = Object.freeze([
  ...KNOWN_STOCKS.map((s): Listing => ({ code: s.code, name: s.name, nameEn: s.nameEn, market: s.market, basePrice: s.price, nxtTradable: s.nxt })),
  ...EXTRA_LISTINGS,
  ...ETF_LISTINGS,
]);

/** The universe's shares (no ETFs): the members of the simulated indices. */
export const SHARES: readonly Listing[] = Object.freeze(UNIVERSE.filter((l) => l.etfIndex === undefined));

/** Is the code one of the universe's ETFs (H0STNAV0 serves only these)? */
export function isEtf(code: string): boolean {
  return BY_CODE.get(code)?.etfIndex !== undefined;
}

/** KOSPI listings of the universe that are not KOSPI200 constituents (the rest are). */
const NOT_IN_KOSPI200: ReadonlySet<string> = new Set(['002790']);

/** Is the code a KOSPI200 constituent (tighter dynamic VI band; member of index 2001)? */
export function isKospi200(code: string): boolean {
  const l = BY_CODE.get(code);
  return l !== undefined && l.market === 'KOSPI' && l.etfIndex === undefined && !NOT_IN_KOSPI200.has(code);
}

const BY_CODE: ReadonlyMap<string, Listing> = new Map(UNIVERSE.map((l) => [l.code, l]));

/** The named listing of a code, if the universe has one. */
export function namedListing(code: string): Listing | undefined {
  return BY_CODE.get(code);
}

/**
 * The listing of any valid code: the named one, or a generated one (name `SIM <code>`, a price
 * between 1,000 and 300,000 KRW log-uniform from a hash of the code and the seed, KOSPI, and
 * NXT-tradable).
 */
export function listing(code: string, seed: number): Listing {
  const named = BY_CODE.get(code);
  if (named !== undefined) return named;
  const h = new Prng(hashSeed(code, seed ^ 0x5eed));
  return {
    code,
    name: `SIM ${code}`,
    nameEn: `SIM ${code}`,
    market: 'KOSPI',
    basePrice: snapDown(Math.exp(Math.log(1000) + h.next() * Math.log(300))),
    nxtTradable: true,
  };
}

/** One ELW of the simulated universe: a warrant on one of its shares, priced by elw-pricing.ts. */
export interface ElwListing extends ElwTerms {
  /** ELW 단축코드 (6 characters, letters allowed). */
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  /** The share it is written on (a universe listing). */
  readonly underlying: string;
  /** Warrants issued (상장수량). */
  readonly issued: number;
}

/**
 * The simulated ELWs (H0EW* serve only these codes). 57JN53, 58J297 and 57LA24 are the codes of
 * KIS's own examples; the terms are ours. The ELW master file (docs/protocol/master-files.md) is
 * not served, so these are known to the simulator only.
 */
export const ELW_LISTINGS: readonly ElwListing[] = Object.freeze([
  { code: '57JN53', name: '한국JN53삼성전자콜', nameEn: 'KIS JN53 Samsung Elec call', underlying: '005930', right: 'call', strike: 75000, ratio: 0.1, years: 0.35, vol: 0.28, issued: 20_000_000 },
  { code: '58J297', name: '한국J297삼성전자풋', nameEn: 'KIS J297 Samsung Elec put', underlying: '005930', right: 'put', strike: 68000, ratio: 0.1, years: 0.3, vol: 0.3, issued: 15_000_000 },
  { code: '57LA24', name: '한국LA24SK하이닉스콜', nameEn: 'KIS LA24 SK hynix call', underlying: '000660', right: 'call', strike: 210000, ratio: 0.02, years: 0.3, vol: 0.4, issued: 10_000_000 },
  { code: '57KB11', name: '한국KB11현대차콜', nameEn: 'KIS KB11 Hyundai Motor call', underlying: '005380', right: 'call', strike: 220000, ratio: 0.02, years: 0.4, vol: 0.3, issued: 8_000_000 },
  { code: '58KC35', name: '한국KC35카카오풋', nameEn: 'KIS KC35 Kakao put', underlying: '035720', right: 'put', strike: 36000, ratio: 0.2, years: 0.3, vol: 0.35, issued: 8_000_000 },
  { code: '57LD08', name: '한국LD08에코프로비엠콜', nameEn: 'KIS LD08 EcoPro BM call', underlying: '247540', right: 'call', strike: 180000, ratio: 0.02, years: 0.3, vol: 0.55, issued: 6_000_000 },
] satisfies ElwListing[]);

const ELW_BY_CODE: ReadonlyMap<string, ElwListing> = new Map(ELW_LISTINGS.map((l) => [l.code, l]));

/** The simulated ELW of a code, if there is one. */
export function elwListing(code: string): ElwListing | undefined {
  return ELW_BY_CODE.get(code);
}
