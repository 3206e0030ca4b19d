// The sampling rules in whole numbers: ⌈5 %⌉ at least 1, the 2 % defect limit (at it passes), percentages.
import { describe, expect, it } from "vitest";
import { percentText } from "../../../src/domain/percent.ts";
import { defectsOverLimit, requiredSample } from "../../../src/domain/quality/sample.ts";

describe("requiredSample", () => {
  it.each([
    [1, 1],
    [19, 1],
    [20, 1],
    [21, 2],
    [40, 2],
    [41, 3],
    [1_000_000, 50_000],
    [10_000_000, 500_000],
  ])("a lot of %i needs %i", (size, sample) => {
    expect(requiredSample(size)).toBe(sample);
  });
});

describe("defectsOverLimit", () => {
  it.each([
    [1, 50, false],
    [2, 100, false],
    [2, 99, true],
    [0, 1, false],
    [1, 1, true],
    [1000, 50_000, false],
    [1001, 50_000, true],
  ])("%i defects in %i: over is %s", (defects, sampled, over) => {
    expect(defectsOverLimit(defects, sampled)).toBe(over);
  });
});

describe("percentText", () => {
  it.each([
    [2n, 99n, "2.02%"],
    [1n, 50n, "2%"],
    [1n, 3n, "33.33%"],
    [2n, 3n, "66.67%"],
    [0n, 5n, "0%"],
    [1n, 0n, "—"],
  ])("%i of %i is %s", (part, whole, text) => {
    expect(percentText(part, whole)).toBe(text);
  });

  it("takes more places where a limit needs them", () => {
    expect(percentText(2001n, 100_000n, 3)).toBe("2.001%");
    expect(percentText(2001n, 100_000n)).toBe("2%");
  });
});
