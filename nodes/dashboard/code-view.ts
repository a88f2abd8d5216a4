/**
 * Which code a widget shows: the configured one, one chosen at run time (msg.ui_update.code), or,
 * with neither, the code of the latest msg. A view extends this and empties itself in `clear`
 * whenever the code shown changes.
 */
export abstract class CodeView {
  /** The code shown ('' until there is one). */
  protected code: string;
  /** Chosen at run time; wins over the configured code; '' = none. */
  private chosen = '';

  /** `fixedCode` '' = follow the code of the latest msg. */
  constructor(private readonly fixedCode: string) {
    this.code = fixedCode;
  }

  /** Show another code (msg.ui_update.code) from now on; '' goes back to the configured one. */
  select(code: string): void {
    this.chosen = code;
    const next = code || this.fixedCode;
    if (next !== '' && next !== this.code) this.switchTo(next);
  }

  /** Whether a msg for `code` is for this view; a new code when following starts the view over. */
  protected admits(code: string): boolean {
    if (code === '') return false;
    const wanted = this.chosen || this.fixedCode;
    if (wanted !== '' && code !== wanted) return false;
    if (code !== this.code) this.switchTo(code);
    return true;
  }

  private switchTo(code: string): void {
    this.code = code;
    this.clear();
  }

  /** Forget what was shown for the previous code. */
  protected abstract clear(): void;
}
