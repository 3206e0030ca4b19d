// The versioned-change loop: tries again while the version it read is gone, then refuses as busy.
import { describe, expect, it } from "vitest";
import { versionedChange } from "../../../src/domain/versioned-change.ts";

describe("versionedChange", () => {
  it("returns the first try that wrote", async () => {
    let tries = 0;
    const result = await versionedChange(
      async () => (++tries === 2 ? "written" : undefined),
      () => new Error("busy"),
    );
    expect([result, tries]).toEqual(["written", 2]);
  });

  it("refuses as busy after three tries that all lost the race, and lets a refusal inside through", async () => {
    let tries = 0;
    await expect(
      versionedChange(
        async () => {
          tries++;
          return undefined;
        },
        () => new Error("busy"),
      ),
    ).rejects.toThrow("busy");
    expect(tries).toBe(3);
    await expect(
      versionedChange(
        async () => {
          throw new Error("not found");
        },
        () => new Error("busy"),
      ),
    ).rejects.toThrow("not found");
  });
});
