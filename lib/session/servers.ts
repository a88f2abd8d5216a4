/** KIS endpoints (doc §1.1). The WebSocket is plain ws:// on both ports; clients use /tryitout. */
export interface KisEndpoints {
  readonly restUrl: string;
  readonly wsUrl: string;
}

export type ServerChoice = 'simulator' | 'real' | 'paper' | 'custom';

export const KIS_SERVERS: Readonly<Record<'real' | 'paper', KisEndpoints>> = Object.freeze({
  /** 실전 */
  real: { restUrl: 'https://openapi.koreainvestment.com:9443', wsUrl: 'ws://ops.koreainvestment.com:21000/tryitout' },
  /** 모의투자: serves only H0STCNT0, H0STASP0 and H0STCNI9 (doc §9.9). */
  paper: { restUrl: 'https://openapivts.koreainvestment.com:29443', wsUrl: 'ws://ops.koreainvestment.com:31000/tryitout' },
});

/** A URL on this machine (the simulator, a test server): not KIS, whatever its port says. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
  } catch {
    return false;
  }
}
