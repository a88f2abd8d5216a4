/**
 * 체결통보 (H0STCNI0 real / H0STCNI9 paper) semantics, pure: which kind of notice a record is,
 * what its quantity and price fields mean for that kind, and the masking of the account number.
 * The simulator builds its records from the same codes (NOTICE_CODES), so the two cannot drift.
 * See docs/protocol/notices.md.
 */
import type { KisRecord } from './record-parser';
import { knownStock } from './stock-codes';
import type { TrId } from './tr-tables';

export type NoticeKind = 'accepted' | 'filled' | 'rejected' | 'cancelled' | 'modified';
export const NOTICE_KINDS: readonly NoticeKind[] = ['accepted', 'filled', 'rejected', 'cancelled', 'modified'];

/** Field values that decide a notice's kind (docs/protocol/notices.md, "Kinds"). */
export const NOTICE_CODES = Object.freeze({
  /** CNTG_YN: 1 = 주문·정정·취소·거부 접수 notice, 2 = 체결 (fill). */
  CNTG_YN: { receipt: '1', fill: '2' },
  /** RFUS_YN: 0 승인, 1 거부. */
  RFUS_YN: { ok: '0', rejected: '1' },
  /** ACPT_YN: 1 주문접수, 2 확인, 3 취소(FOK/IOC). */
  ACPT_YN: { received: '1', confirmed: '2', iocCancelled: '3' },
  /** RCTF_CLS: 0 정상, 1 정정, 2 취소. */
  RCTF_CLS: { normal: '0', modify: '1', cancel: '2' },
  /** SELN_BYOV_CLS: 01 매도, 02 매수. */
  SELN_BYOV_CLS: { sell: '01', buy: '02' },
  /** ORD_EXG_GB: 1 KRX, 2 NXT, 3 SOR-KRX, 4 SOR-NXT. */
  ORD_EXG_GB: { '1': 'KRX', '2': 'NXT', '3': 'SOR-KRX', '4': 'SOR-NXT' } as Readonly<Record<string, string>>,
});

/** The kind of a 체결통보 record, from RFUS_YN, ACPT_YN, CNTG_YN and RCTF_CLS (in that order of precedence). */
export function noticeKind(r: Readonly<Record<string, KisRecord[string] | undefined>>): NoticeKind {
  const c = NOTICE_CODES;
  if (r.RFUS_YN === c.RFUS_YN.rejected) return 'rejected';
  if (r.ACPT_YN === c.ACPT_YN.iocCancelled) return 'cancelled';
  if (r.CNTG_YN === c.CNTG_YN.fill) return 'filled';
  if (r.RCTF_CLS === c.RCTF_CLS.cancel) return 'cancelled';
  if (r.RCTF_CLS === c.RCTF_CLS.modify) return 'modified';
  return 'accepted';
}

/**
 * The 체결통보 TR ids to try for a server, first choice first: H0STCNI0 on real, H0STCNI9 on
 * paper; a server we cannot tell (the simulator, a custom URL) gets the other one as fallback
 * when the first is refused as not served.
 */
export function noticeTrIds(server: 'real' | 'paper' | undefined): readonly TrId[] {
  if (server === 'real') return ['H0STCNI0'];
  if (server === 'paper') return ['H0STCNI9'];
  return ['H0STCNI0', 'H0STCNI9'];
}

/** `5012345601` → `50******01`: enough to tell accounts apart, not enough to use one. */
export function maskAccount(account: string): string {
  const a = account.trim();
  if (a.length <= 4) return '*'.repeat(a.length);
  return a.slice(0, 2) + '*'.repeat(a.length - 4) + a.slice(-2);
}

/** What an alert flow wants of one notice, derived from the record (docs/protocol/notices.md, "Fields by kind"). */
export interface NoticeSummary {
  readonly kind: NoticeKind;
  /** Stock code (STCK_SHRN_ISCD) and name (CNTG_ISNM40, else the known name, else ''). */
  readonly code: string;
  readonly name: string;
  readonly side: 'buy' | 'sell' | '';
  /** 지점번호 + 주문번호 identify the order; 원주문번호 is set for 정정/취소. */
  readonly branchNo: string;
  readonly orderNo: string;
  readonly originalOrderNo: string;
  /** Order quantity and price (for a 접수 notice from CNTG_QTY / CNTG_UNPR, for a fill from ODER_QTY / ODER_PRC). */
  readonly quantity: number | null;
  readonly price: number | null;
  /** This fill's quantity and price; 0 and null for other kinds. */
  readonly filledQty: number;
  readonly fillPrice: number | null;
  /** HH:MM:SS (KST) of the event. */
  readonly time: string;
  /** KRX / NXT / SOR-KRX / SOR-NXT, or the raw ORD_EXG_GB. */
  readonly exchange: string;
}

function int(v: KisRecord[string] | undefined): number | null {
  return typeof v === 'number' ? v : null;
}

function text(v: KisRecord[string] | undefined): string {
  return typeof v === 'string' ? v.trim() : '';
}

function hms(t: string): string {
  return t.length === 6 ? `${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}` : t;
}

/** An order number of zeros only is "none" (a new order's 원주문번호 arrives empty or zero-padded). */
function orderNumber(v: KisRecord[string] | undefined): string {
  const s = text(v);
  return /^0*$/.test(s) ? '' : s;
}

export function summarizeNotice(r: KisRecord): NoticeSummary {
  const kind = noticeKind(r);
  const fill = r.CNTG_YN === NOTICE_CODES.CNTG_YN.fill && kind === 'filled';
  const code = text(r.STCK_SHRN_ISCD);
  const side = r.SELN_BYOV_CLS === NOTICE_CODES.SELN_BYOV_CLS.buy ? 'buy' : r.SELN_BYOV_CLS === NOTICE_CODES.SELN_BYOV_CLS.sell ? 'sell' : '';
  const exg = text(r.ORD_EXG_GB);
  return {
    kind,
    code,
    name: text(r.CNTG_ISNM40) || (knownStock(code)?.name ?? ''),
    side,
    branchNo: text(r.BRNC_NO),
    orderNo: orderNumber(r.ODER_NO),
    originalOrderNo: orderNumber(r.OODER_NO),
    // In a 접수 notice CNTG_QTY / CNTG_UNPR hold the order's quantity and price; ODER_QTY may repeat it.
    quantity: fill ? int(r.ODER_QTY) : (int(r.CNTG_QTY) ?? int(r.ODER_QTY)),
    price: fill ? int(r.ODER_PRC) : (int(r.CNTG_UNPR) ?? int(r.ODER_PRC)),
    filledQty: fill ? (int(r.CNTG_QTY) ?? 0) : 0,
    fillPrice: fill ? int(r.CNTG_UNPR) : null,
    time: hms(text(r.STCK_CNTG_HOUR)),
    exchange: NOTICE_CODES.ORD_EXG_GB[exg] ?? exg,
  };
}

/**
 * The wrong-HTS-ID trap, from observable events only: KIS drops the connection without a close
 * frame shortly after acknowledging a 체결통보 registration whose HTS ID is not the customer's
 * (docs/protocol/notices.md, "Wrong HTS ID"). `strikes` such drops in a row, each within
 * `windowMs` of the notice ack and with no notice in between, make it a diagnosis.
 */
export class WrongHtsIdDetector {
  private ackAt = -1;
  private drops = 0;

  constructor(readonly windowMs = 10_000, readonly strikes = 2) {}

  /** The 체결통보 registration was acknowledged. */
  onAck(now: number): void {
    this.ackAt = now;
  }

  /** A notice arrived: the HTS ID is right. */
  onNotice(): void {
    this.drops = 0;
    this.ackAt = -1;
  }

  /** The connection dropped; true when the pattern is established. */
  onDrop(now: number): boolean {
    if (this.ackAt >= 0 && now - this.ackAt <= this.windowMs) this.drops++;
    else this.drops = 0;
    this.ackAt = -1;
    return this.drops >= this.strikes;
  }

  /** Drops counted so far in the current run (0 = no suspicion). */
  get suspicion(): number {
    return this.drops;
  }

  reset(): void {
    this.drops = 0;
    this.ackAt = -1;
  }
}
