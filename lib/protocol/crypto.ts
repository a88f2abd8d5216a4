import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * AES-256-CBC key material from a subscribe ack (`body.output.key` / `.iv`).
 * Both are used as raw UTF-8 bytes, not base64 or hex (doc §4.3, §9.12).
 */
export interface AesKey {
  readonly key: string;
  readonly iv: string;
}

/** True when the strings have the byte lengths AES-256-CBC needs (32-byte key, 16-byte iv). */
export function isUsableAesKey(k: AesKey): boolean {
  return Buffer.byteLength(k.key, 'utf8') === 32 && Buffer.byteLength(k.iv, 'utf8') === 16;
}

/** Decrypt a base64 payload of an encrypted frame; throws on a bad key, padding or base64. */
export function decryptPayload(base64: string, k: AesKey): string {
  const decipher = createDecipheriv('aes-256-cbc', Buffer.from(k.key, 'utf8'), Buffer.from(k.iv, 'utf8'));
  return Buffer.concat([decipher.update(Buffer.from(base64, 'base64')), decipher.final()]).toString('utf8');
}

/** Encrypt a `^`-joined payload the way KIS does (used by the simulator and the tests). */
export function encryptPayload(plain: string, k: AesKey): string {
  const cipher = createCipheriv('aes-256-cbc', Buffer.from(k.key, 'utf8'), Buffer.from(k.iv, 'utf8'));
  return Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}
