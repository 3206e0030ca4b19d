// A clock the test moves by hand: the only time source tests give to the code under test.
export interface ManualClock {
  now: () => Date;
  advance(ms: number): void;
  set(iso: string): void;
}

export function manualClock(iso: string): ManualClock {
  let current = new Date(iso).getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (next) => {
      current = new Date(next).getTime();
    },
  };
}
