export * from './types';
export * from './servers';
export { KisSession, type KisSessionEvents, type SessionLogLevel, type SessionStateListener } from './session';
export { SubscriptionRegistry, Registration, type AddResult, type WireState } from './registry';
export { PacedSendQueue, type PacedRequest, type PacedSendQueueOptions } from './send-queue';
export { backoffDelay, resolveReconnect, type ResolvedReconnect } from './backoff';
export {
  ApprovalError,
  getApprovalKey,
  requestApprovalKey,
  invalidateApprovalKey,
  hasCachedApprovalKey,
  clearApprovalKeyCache,
  redactSecrets,
  APPROVAL_KEY_LIFETIME_MS,
  type ApprovalErrorKind,
  type ApprovalRequest,
} from './approval';
export { acquireSession, releaseSession, pooledSessionCount } from './pool';
