/**
 * One MasterStore per source in the process, shared by every kis-config (and the editor's admin
 * endpoint) that reads the same files. See ./store.ts.
 */
import { KNOWN_STOCKS } from '../protocol/stock-codes';
import { MasterStore, type MasterStoreOptions } from './store';

export { MasterStore, masterTradingDay, download, type MasterSource, type MasterState, type MasterStoreOptions, type MasterUrls } from './store';
export { StockIndex, choseong, type SearchHit, type StockInfo } from './search';

const stores = new Map<string, MasterStore>();

/** English names of the stocks this package knows by name (KIS's master is Korean only). */
export const ENGLISH_NAMES: ReadonlyMap<string, string> = new Map(KNOWN_STOCKS.map((s) => [s.code, s.nameEn]));

/** The shared store for `key`, created with `options()` on first use. */
export function masterStore(key: string, options: () => MasterStoreOptions): MasterStore {
  let store = stores.get(key);
  if (store === undefined) {
    store = new MasterStore({ englishNames: ENGLISH_NAMES, ...options() });
    stores.set(key, store);
  }
  return store;
}

/** Forget every store (tests). */
export function resetMasterStores(): void {
  stores.clear();
}
