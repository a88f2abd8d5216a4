/**
 * The one redaction of the session layer: every text that leaves it (state reasons, log lines,
 * subscription errors and their codes, frame-error events) goes through `Redactor.redact`, which
 * knows every secret the session has ever held (app key, app secret, each approval key, also the
 * expired ones). Callers redact first and shorten afterwards, so a cut can never leave part of a
 * secret behind. kis-config redacts its own texts with `redactSecrets` too.
 */

/** Secrets shorter than this are not replaced (a 1-character "secret" would blank every text). */
const MIN_SECRET_LENGTH = 4;

/** Replace every occurrence of each (non-trivial) secret with `***`. */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s !== undefined && s.length >= MIN_SECRET_LENGTH && out.includes(s)) out = out.split(s).join('***');
  return out;
}

/** Redact, then shorten to `max` characters (never the other way round). */
export function redactAndShorten(text: string, secrets: Iterable<string | undefined>, max: number): string {
  const safe = redactSecrets(text, secrets);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

/** What a code may look like when shown as one (OPSP0008, EGW00103, ACK_TIMEOUT, HTTP 500, H0STCNT0). */
const CODE_SHAPE = /^(?:[A-Z]{2,6}\d{3,5}|HTTP \d{3}|[A-Z_]{2,16}|H[0-9A-Z]{7})$/;

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(initial: Iterable<string | undefined>) {
    for (const s of initial) this.remember(s);
  }

  /** Add a secret; it is never forgotten (an old approval key echoed later must not leak either). */
  remember(secret: string | undefined | null): void {
    if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) this.secrets.add(secret);
  }

  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  shorten(text: string, max: number): string {
    return redactAndShorten(text, this.secrets, max);
  }

  /** A code from the server, as it may be shown: redacted and code-shaped, else `UNKNOWN`. */
  code(code: string): string {
    const safe = this.redact(code);
    return safe === code && CODE_SHAPE.test(code) ? code : 'UNKNOWN';
  }
}
