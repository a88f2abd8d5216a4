/**
 * @kis-nodes/node-red-kis as a plain library (no Node-RED needed): the KIS real-time protocol core.
 * The simulator (`startSimulator`) and the session (`KisSession`) are exported here as well.
 */
export * from './protocol';
export * from './session';
export * from './simulator';
