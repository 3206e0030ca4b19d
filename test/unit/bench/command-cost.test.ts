import { describe, expect, it } from "vitest";
import { describeStatement } from "../../../bench/command-cost.ts";

describe("describeStatement", () => {
  it("names the tables a statement writes, in order, and the start of its text", () => {
    expect(
      describeStatement(
        'with alongside as (update "inbox" set "status" = $1 where "inbox"."id" = $2) insert into "outbox" (idempotency_key) select 1',
      ),
    ).toBe('update inbox, insert outbox: `with alongside as (update "inbox" set "status" =…`');
  });

  it("does not take a lock or an upsert's update for a table", () => {
    expect(
      describeStatement(
        'with held as (select 1 from "send_budgets" b for update of b skip locked), n as (insert into "daily_sequences" (day) values ($1) on conflict (day) do update set last = 1) update "send_budgets" set starts = $2',
      ),
    ).toMatch(/^insert daily_sequences, update send_budgets: /);
  });

  it("names the table a read starts from, and shows a short text whole", () => {
    expect(describeStatement('select "id" from "orders" where "number" = $1')).toBe(
      'select from orders: `select "id" from "orders" where "number" = $1`',
    );
    expect(describeStatement("commit")).toBe("commit: `commit`");
  });

  it("keeps a pipe or a backtick of the text from breaking the table", () => {
    expect(describeStatement("select 'a|b' as `x`")).toBe("select: `select 'a\\|b' as 'x'`");
  });
});
