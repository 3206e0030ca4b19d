// The one source of "now": injected everywhere so that tests and `job --at` control time.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
