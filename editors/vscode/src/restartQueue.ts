// Restarts of the language server, one at a time. Two "Restart Server" at
// once, or a restart racing a trust or settings change, would otherwise
// start a second server before the first one's stop finished, and lose
// track of one of them (an orphan process). Here a restart waits for the
// one in progress, and every request made while one is waiting joins it:
// the waiting restart reads trust and settings when it begins, so it
// serves them all. No vscode import: unit-tested.

export class RestartQueue {
  private running: Promise<void> | undefined;
  private waiting: Promise<void> | undefined;

  /** `restart` stops the current server, if any, and starts one. */
  constructor(private readonly restart: () => Promise<void>) {}

  /** Restarts after the restart in progress, if any; resolves when the
   * server this request asked for has started (or failed to). */
  request(): Promise<void> {
    if (!this.running) return this.begin();
    this.waiting ??= this.running.then(() => {
      this.waiting = undefined;
      return this.begin();
    });
    return this.waiting;
  }

  /** Resolves once no restart is running or waiting. */
  async settled(): Promise<void> {
    while (this.running) await (this.waiting ?? this.running).catch(() => undefined);
  }

  private begin(): Promise<void> {
    const run = Promise.resolve().then(() => this.restart());
    // The queue goes on after a failed restart; the caller still hears of it.
    const running: Promise<void> = run.then(
      () => this.finished(running),
      () => this.finished(running),
    );
    this.running = running;
    return run;
  }

  private finished(running: Promise<void>): void {
    if (this.running === running) this.running = undefined;
  }
}
