/**
 * Who traded: the 회원사 (member broker) on each side of every trade and the part of the volume
 * that was program trading (프로그램매매), accumulated per venue over the day. Every trade the
 * price process prints is booked here once, so the aggregates add up: the members' quantities sum
 * to the venue's volume on each side, and program quantities never exceed it.
 */
import type { Prng } from './prng';

export interface Member {
  /** 5-digit member number (거래원코드); simulated numbers, not KRX's. */
  readonly no: string;
  readonly name: string;
  readonly nameEn: string;
  /** 외국계 (foreign) broker. */
  readonly foreign: boolean;
  /** Relative share of the volume it handles. */
  readonly weight: number;
}

export const MEMBERS: readonly Member[] = Object.freeze([
  { no: '00005', name: '미래에셋증권', nameEn: 'Mirae Asset Securities', foreign: false, weight: 14 },
  { no: '00003', name: '한국투자증권', nameEn: 'Korea Investment & Securities', foreign: false, weight: 13 },
  { no: '00012', name: '키움증권', nameEn: 'Kiwoom Securities', foreign: false, weight: 16 },
  { no: '00017', name: 'KB증권', nameEn: 'KB Securities', foreign: false, weight: 9 },
  { no: '00030', name: 'NH투자증권', nameEn: 'NH Investment & Securities', foreign: false, weight: 9 },
  { no: '00006', name: '삼성증권', nameEn: 'Samsung Securities', foreign: false, weight: 10 },
  { no: '00008', name: '신한투자증권', nameEn: 'Shinhan Securities', foreign: false, weight: 6 },
  { no: '00044', name: '메리츠증권', nameEn: 'Meritz Securities', foreign: false, weight: 4 },
  { no: '00036', name: 'JP모간서울', nameEn: 'J.P. Morgan Seoul', foreign: true, weight: 5 },
  { no: '00037', name: '씨티그룹', nameEn: 'Citigroup Global Markets', foreign: true, weight: 4 },
  { no: '00041', name: '모간서울', nameEn: 'Morgan Stanley Seoul', foreign: true, weight: 5 },
  { no: '00045', name: '골드만삭스', nameEn: 'Goldman Sachs', foreign: true, weight: 3 },
  { no: '00054', name: 'UBS', nameEn: 'UBS', foreign: true, weight: 2 },
]);

const TOTAL_WEIGHT = MEMBERS.reduce((s, m) => s + m.weight, 0);

/** A member drawn by its share of the volume. */
export function pickMember(prng: Prng): number {
  let r = prng.next() * TOTAL_WEIGHT;
  for (let i = 0; i < MEMBERS.length; i++) {
    r -= MEMBERS[i]!.weight;
    if (r < 0) return i;
  }
  return MEMBERS.length - 1;
}

/**
 * Program-trading buckets: 차익 (arbitrage, index-basket) or 비차익, 위탁 (customer) or 자기
 * (proprietary), sell or buy; quantity and value of each.
 */
export interface ProgramBucket {
  qty: number;
  value: number;
}

export type ProgramKey = `${'ARBT' | 'NABT'}_${'ENTM' | 'ONSL'}_${'SELN' | 'SHNU'}`;

export const PROGRAM_KEYS: readonly ProgramKey[] = [
  'ARBT_ENTM_SELN', 'ARBT_ENTM_SHNU', 'ARBT_ONSL_SELN', 'ARBT_ONSL_SHNU',
  'NABT_ENTM_SELN', 'NABT_ENTM_SHNU', 'NABT_ONSL_SELN', 'NABT_ONSL_SHNU',
];

/** Share of trades that are program orders on the initiating side. */
const PROGRAM_SHARE = 0.18;

export class VenueFlows {
  readonly sellQty: number[] = new Array<number>(MEMBERS.length).fill(0);
  readonly buyQty: number[] = new Array<number>(MEMBERS.length).fill(0);
  volume = 0;
  readonly program: Record<ProgramKey, ProgramBucket>;

  constructor() {
    const p = {} as Record<ProgramKey, ProgramBucket>;
    for (const k of PROGRAM_KEYS) p[k] = { qty: 0, value: 0 };
    this.program = p;
  }

  programSell(): ProgramBucket {
    return this.programSum('SELN');
  }

  programBuy(): ProgramBucket {
    return this.programSum('SHNU');
  }

  private programSum(side: 'SELN' | 'SHNU'): ProgramBucket {
    let qty = 0, value = 0;
    for (const k of PROGRAM_KEYS) {
      if (!k.endsWith(side)) continue;
      qty += this.program[k].qty;
      value += this.program[k].value;
    }
    return { qty, value };
  }
}

/** Where one trade goes in the flows: both members and, maybe, a program bucket. */
export interface FlowDraw {
  seller: number;
  buyer: number;
  program: ProgramKey | null;
}

export function drawFlow(prng: Prng, buy: boolean, out: FlowDraw): FlowDraw {
  out.seller = pickMember(prng);
  out.buyer = pickMember(prng);
  if (prng.next() < PROGRAM_SHARE) {
    const arb = prng.next() < 0.3 ? 'ARBT' : 'NABT';
    const who = prng.next() < 0.6 ? 'ENTM' : 'ONSL';
    out.program = `${arb}_${who}_${buy ? 'SHNU' : 'SELN'}`;
  } else {
    out.program = null;
  }
  return out;
}

export function bookFlow(f: VenueFlows, d: FlowDraw, price: number, qty: number): void {
  f.sellQty[d.seller] = f.sellQty[d.seller]! + qty;
  f.buyQty[d.buyer] = f.buyQty[d.buyer]! + qty;
  f.volume += qty;
  if (d.program !== null) {
    const b = f.program[d.program];
    b.qty += qty;
    b.value += price * qty;
  }
}
