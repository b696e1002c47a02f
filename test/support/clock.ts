/**
 * A virtual clock moved by hand, for the code that takes one (`now`) and the Huawei client's deadline timer
 * (`setTimer`): a deadline passes when the test calls `advance`, never after real seconds. Starts at the real time.
 */
interface Timer {
  due: number;
  fire: () => void;
}

export class ManualClock {
  private ms: number;
  private timers: Timer[] = [];

  constructor(start = Date.now()) {
    this.ms = start;
  }

  readonly now = (): number => this.ms;

  /** Runs `fire` once the clock has moved `ms` ahead; returns its cancel. */
  readonly setTimer = (fire: () => void, ms: number): (() => void) => {
    const timer = { due: this.ms + ms, fire };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  };

  /** Moves the clock and fires, in due order, every timer that is due by then. */
  advance(ms: number): void {
    this.ms += ms;
    const due = this.timers.filter((t) => t.due <= this.ms).sort((a, b) => a.due - b.due);
    this.timers = this.timers.filter((t) => t.due > this.ms);
    for (const timer of due) timer.fire();
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }
}
