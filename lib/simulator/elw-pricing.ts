/**
 * ELW (주식워런트증권) pricing: the Black–Scholes value of a European call or put on a stock of the
 * simulated universe, per warrant (× 전환비율), and the analytics KIS's ELW 체결 carries
 * (docs/protocol/realtime-trs.md, ELW). Pure functions; the ELW's liquidity provider quotes around
 * this value, so the ELW price moves only as its underlying does.
 *
 * Units are our reading where KIS documents none (docs/protocol/realtime-trs.md, doubts): delta and
 * gamma per KRW of the underlying (gamma × 10⁴), vega and rho in KRW per warrant for 1 %p of
 * volatility or rate, theta in KRW per warrant per calendar day.
 */

export type ElwRight = 'call' | 'put';

/** What the value depends on besides the underlying's price. */
export interface ElwTerms {
  readonly right: ElwRight;
  /** 행사가격 (KRW). */
  readonly strike: number;
  /** 전환비율: underlying shares per warrant. */
  readonly ratio: number;
  /** Remaining life in years (the simulated ELWs do not age: fixed per listing). */
  readonly years: number;
  /** Volatility the LP prices with (annual, e.g. 0.3). */
  readonly vol: number;
}

/** Risk-free rate of the simulated market (annual). */
export const ELW_RATE = 0.03;

/** Standard normal CDF (Abramowitz–Stegun 26.2.17, |error| < 7.5e-8). */
function cdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = pdf(x) * poly;
  return x >= 0 ? 1 - tail : tail;
}

function pdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

function d1d2(t: ElwTerms, s: number): [number, number] {
  const sq = t.vol * Math.sqrt(t.years);
  const d1 = (Math.log(s / t.strike) + (ELW_RATE + 0.5 * t.vol * t.vol) * t.years) / sq;
  return [d1, d1 - sq];
}

/** Black–Scholes value per warrant (KRW) at underlying price `s`. */
export function elwValue(t: ElwTerms, s: number): number {
  const [d1, d2] = d1d2(t, s);
  const df = Math.exp(-ELW_RATE * t.years);
  const perShare = t.right === 'call' ? s * cdf(d1) - t.strike * df * cdf(d2) : t.strike * df * cdf(-d2) - s * cdf(-d1);
  return perShare * t.ratio;
}

/** The analytics of an ELW trading at `price` (KRW per warrant) with its underlying at `s`. */
export interface ElwAnalytics {
  readonly theoretical: number;
  readonly intrinsic: number;
  readonly timeValue: number;
  readonly parity: number;
  readonly premium: number;
  readonly premiumRate: number;
  readonly breakEvenRate: number;
  readonly gearing: number;
  readonly leverage: number;
  readonly capitalFixedPoint: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
  readonly rho: number;
  readonly impliedVol: number;
}

/**
 * KRX's ELW indicators: 내재가치 = max(0, ±(S − X)) × 전환비율; 시간가치 = price − 내재가치 (0 at
 * least); 패리티 = S / X × 100 (call), X / S × 100 (put); 프리미엄 = (price / 전환비율 ± (X − S))
 * in KRW per share and 프리미엄비율 its % of S; 손익분기비율 = the underlying's move to break even
 * at expiry, which equals 프리미엄비율 for both rights; 기어링 = S / (price / 전환비율); 레버리지
 * (effective gearing) = 기어링 × delta; 자본지지점 = the yearly growth of S that makes the ELW and
 * the shares equal at expiry (call only; 0 for a put: our choice). HTS 내재변동성 is the LP's
 * volatility (the simulator's quotes come from it) in %.
 */
export function elwAnalytics(t: ElwTerms, s: number, price: number): ElwAnalytics {
  const [d1, d2] = d1d2(t, s);
  const df = Math.exp(-ELW_RATE * t.years);
  const call = t.right === 'call';
  const perShare = price / t.ratio;
  const intrinsic = Math.max(0, call ? s - t.strike : t.strike - s) * t.ratio;
  const premium = call ? perShare + t.strike - s : perShare - t.strike + s;
  const delta = call ? cdf(d1) : cdf(d1) - 1;
  const gearing = perShare > 0 ? s / perShare : 0;
  const sqrtT = Math.sqrt(t.years);
  const thetaYear = -(s * pdf(d1) * t.vol) / (2 * sqrtT) + (call ? -1 : 1) * ELW_RATE * t.strike * df * cdf(call ? d2 : -d2);
  const rhoYear = (call ? 1 : -1) * t.strike * t.years * df * cdf(call ? d2 : -d2);
  const cfpBase = s - perShare;
  return {
    theoretical: elwValue(t, s),
    intrinsic,
    timeValue: Math.max(0, price - intrinsic),
    parity: call ? (s / t.strike) * 100 : (t.strike / s) * 100,
    premium,
    premiumRate: (premium / s) * 100,
    breakEvenRate: (premium / s) * 100,
    gearing,
    leverage: gearing * delta,
    capitalFixedPoint: call && cfpBase > 0 ? (Math.pow(t.strike / cfpBase, 1 / t.years) - 1) * 100 : 0,
    delta,
    gamma: (pdf(d1) / (s * t.vol * sqrtT)) * 1e4,
    vega: s * pdf(d1) * sqrtT * t.ratio * 0.01,
    theta: (thetaYear * t.ratio) / 365,
    rho: rhoYear * t.ratio * 0.01,
    impliedVol: t.vol * 100,
  };
}
