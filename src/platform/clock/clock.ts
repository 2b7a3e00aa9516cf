/**
 * All time comes from one injectable Clock (DESIGN §4). Stored in UTC; shown in Asia/Shanghai.
 * `GGZY_TIME_SCALE=1440` makes a day pass in a minute for demos: scaled time starts at the real
 * time of start-up and runs `scale` times faster from there.
 */
export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  private readonly startReal = Date.now();
  constructor(private readonly scale = 1) {}
  now(): Date {
    if (this.scale === 1) return new Date();
    const elapsed = Date.now() - this.startReal;
    return new Date(this.startReal + Math.round(elapsed * this.scale));
  }
}

/** A clock tests move by hand; it never moves by itself. */
export class TestClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-03-02T01:00:00.000Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/**
 * Real time that can jump ahead (`ggzy demo`): it runs at the real rate between jumps, so waits and
 * timeouts behave as in use, and `jumpTo` skips the days a legal period asks for. It never goes back.
 */
export class JumpingClock implements Clock {
  private offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  jumpTo(at: Date): void {
    const ahead = at.getTime() - this.now().getTime();
    if (ahead > 0) this.offset += ahead;
  }
}
