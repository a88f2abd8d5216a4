/** The local KIS simulator: a faithful stand-in for the KIS real-time server. */
export * from './types';
export { startSimulator, DEMO_APP_KEY, DEMO_APP_SECRET } from './server';
export { acquireEmbeddedSimulator, releaseEmbeddedSimulator, EMBEDDED_SIMULATOR_OPTIONS, EMBEDDED_SIMULATOR_LINGER_MS } from './embedded';
export { MarketModel, CodeMarket, marketClock, stockProfile, type MarketClock, type StockProfile } from './market';
export { UNIVERSE, listing, namedListing, type Listing, type ListingMarket } from './universe';
export { krxTickSize, isOnTickGrid } from './tick-size';
