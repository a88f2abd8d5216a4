import type { TrId } from './tr-tables';

/** 개인 (P) or 법인 (B) customer, the `custtype` header (doc §2). */
export type CustType = 'P' | 'B';

export interface SubscriptionRequest {
  readonly approvalKey: string;
  readonly custType: CustType;
  readonly trId: TrId | string;
  readonly trKey: string;
}

/** `tr_type`: "1" 등록 (subscribe), "2" 해제 (unsubscribe). Never "0" (doc §9.4). */
export type TrType = '1' | '2';

function buildRequest(req: SubscriptionRequest, trType: TrType): string {
  return JSON.stringify({
    header: { approval_key: req.approvalKey, custtype: req.custType, tr_type: trType, 'content-type': 'utf-8' },
    body: { input: { tr_id: req.trId, tr_key: req.trKey } },
  });
}

/** The subscribe text frame exactly as doc §2 shows it. */
export function buildSubscribe(req: SubscriptionRequest): string {
  return buildRequest(req, '1');
}

/** The unsubscribe text frame: the subscribe frame with `tr_type` "2". */
export function buildUnsubscribe(req: SubscriptionRequest): string {
  return buildRequest(req, '2');
}

/** The approval-key REST body (doc §1.2). Note `secretkey`, not `appsecret`. */
export function buildApprovalRequestBody(appKey: string, appSecret: string): string {
  return JSON.stringify({ grant_type: 'client_credentials', appkey: appKey, secretkey: appSecret });
}

/** Path of the approval-key endpoint below the REST base URL. */
export const APPROVAL_PATH = '/oauth2/Approval';
