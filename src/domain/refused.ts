// A change the domain refused, carrying a typed reason of its area for the command to put into words.

export class Refused<R extends { kind: string }> extends Error {
  constructor(
    area: string,
    readonly refusal: R,
  ) {
    super(`${area} change refused: ${refusal.kind}`);
  }
}
