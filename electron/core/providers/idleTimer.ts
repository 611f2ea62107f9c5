/**
 * Aborts its signal when `restart` has not been called for `ms`: the longest silence allowed
 * before the first token or between two chunks.
 */
export class IdleTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  readonly signal: AbortSignal = this.controller.signal;
  private readonly ms: number;

  constructor(ms: number) {
    this.ms = ms;
  }

  restart(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new Error('idle timeout')), this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
