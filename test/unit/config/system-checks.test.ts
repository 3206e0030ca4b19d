// OPS_SYSTEM_CHECKS: name=url pairs, names as /checklist keys, http(s) only, each name once; every mistake named.
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "../../../src/config/parse-env.ts";

const problemsOf = (value: string): string[] => {
  try {
    parseEnv({ OPS_SYSTEM_CHECKS: value });
  } catch (error) {
    if (error instanceof ConfigError)
      return error.problems.map((problem) => `${problem.variable}: ${problem.message}`);
    throw error;
  }
  return [];
};

describe("OPS_SYSTEM_CHECKS", () => {
  it("is empty when unset, and a list of name and url otherwise", () => {
    expect(parseEnv({}).systemChecks).toEqual([]);
    expect(
      parseEnv({ OPS_SYSTEM_CHECKS: " erp=https://erp.example.com/health , wms=http://10.0.0.5:8080/ping" })
        .systemChecks,
    ).toEqual([
      { name: "erp", url: "https://erp.example.com/health" },
      { name: "wms", url: "http://10.0.0.5:8080/ping" },
    ]);
  });

  it("refuses an entry without a name, a name that is no checklist key, a URL of another scheme, a name twice", () => {
    expect(problemsOf("https://erp.example.com")).toEqual([
      expect.stringMatching(/^OPS_SYSTEM_CHECKS: .*name=url/),
    ]);
    expect(problemsOf("ERP=https://erp.example.com")).toEqual([
      expect.stringMatching(/^OPS_SYSTEM_CHECKS: .*name=url/),
    ]);
    expect(problemsOf("erp=ftp://erp.example.com")).toEqual([
      expect.stringMatching(/^OPS_SYSTEM_CHECKS: .*http/),
    ]);
    expect(problemsOf("erp=https://a.example.com,erp=https://b.example.com")).toEqual([
      expect.stringMatching(/^OPS_SYSTEM_CHECKS: each system name once/),
    ]);
  });
});
