// Two person rows become one: the merged person's accounts, roles and every reference to them move to the kept one.
import { eq, is, sql } from "drizzle-orm";
import { getTableConfig, type PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../../db/database.ts";
import * as schema from "../../db/schema/index.ts";
import { alerts, identities, people, personRoles } from "../../db/schema/index.ts";

interface PersonReference {
  table: PgTable;
  column: PgColumn;
}

/**
 * Every column of the schema that references people.id, read from the schema itself so that a table added
 * later is moved too. The two the merge handles on its own (a person's roles, which may overlap, and the
 * accounts) are left out.
 */
function personReferences(): PersonReference[] {
  const tables = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable));
  return tables.flatMap((table) =>
    getTableConfig(table).foreignKeys.flatMap((key) => {
      const reference = key.reference();
      if (reference.foreignTable !== people) return [];
      return reference.columns
        .filter((column) => column !== personRoles.personId && column !== identities.personId)
        .map((column) => ({ table, column }));
    }),
  );
}

const REFERENCES = personReferences();

/**
 * Moves everything of person `gone` to person `kept` and deletes `gone`, in the caller's transaction: roles
 * (the union), accounts, owners, creators, who-did-what columns and audit actors; an overdue task's alert
 * names its owner in its facts, which moves too. Returns the roles `gone` brought.
 */
export async function mergePeople(tx: Db, kept: number, gone: number): Promise<string[]> {
  const brought = await tx
    .insert(personRoles)
    .select(
      tx
        .select({
          personId: sql<number>`${kept}::int`.as("person_id"),
          role: personRoles.role,
          grantedBy: personRoles.grantedBy,
          grantedAt: personRoles.grantedAt,
        })
        .from(personRoles)
        .where(eq(personRoles.personId, gone)),
    )
    .onConflictDoNothing()
    .returning({ role: personRoles.role });
  await tx.delete(personRoles).where(eq(personRoles.personId, gone));
  await tx.update(identities).set({ personId: kept }).where(eq(identities.personId, gone));
  for (const { table, column } of REFERENCES) {
    await tx.execute(
      sql`update ${table} set ${sql.identifier(column.name)} = ${kept} where ${column} = ${gone}`,
    );
  }
  await tx
    .update(alerts)
    .set({ facts: sql`jsonb_set(${alerts.facts}, '{ownerPersonId}', to_jsonb(${kept}::int))` })
    .where(sql`${alerts.facts}->>'ownerPersonId' = ${String(gone)}`);
  await tx.delete(people).where(eq(people.id, gone));
  return brought.map((row) => row.role);
}
