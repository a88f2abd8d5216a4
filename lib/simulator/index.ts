/** The local KIS simulator: a faithful stand-in for the KIS real-time server (issue 4). */
export * from './types';
export { startSimulator, DEMO_APP_KEY, DEMO_APP_SECRET } from './server';
export { acquireEmbeddedSimulator, releaseEmbeddedSimulator, EMBEDDED_SIMULATOR_OPTIONS } from './embedded';
export { MarketModel, CodeMarket, marketClock, stockProfile, type MarketClock, type StockProfile } from './market';
export { krxTickSize, isOnTickGrid } from './tick-size';
