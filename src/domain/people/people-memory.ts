// personForContact that skips the database for an account this process has looked up under the same directory version.
import type { Db } from "../../db/database.ts";
import { type ContactInput, type KnownPerson, personForContact } from "./people.ts";

/** Accounts remembered per process; a full memory starts over. */
const PEOPLE_MEMORY_SIZE = 10_000;

interface Remembered {
  /** The directory_version the copy was read under: any change to people or roles since moves it on. */
  version: number;
  /** The name the account had then: a new one is written to the person, so it goes to the database. */
  name: string | undefined;
  person: KnownPerson;
}

/**
 * The person behind an account, from memory while `directoryVersion` (read in the same round trip as the event's
 * claim, or as its insert when it was stored claimed) is the one the copy was read under. Every change to people,
 * identities or roles moves it on, in the writing transaction, whichever process or job made it: the next event's
 * claim sees the new count and this looks the person up again. Null (version unknown) always goes to the database.
 */
export function createPeopleMemory(db: Db) {
  const remembered = new Map<string, Remembered>();
  return async (input: ContactInput, directoryVersion: number | null): Promise<KnownPerson> => {
    const key = `${input.platform}\u0000${input.userId}`;
    const copy = remembered.get(key);
    if (
      copy &&
      directoryVersion !== null &&
      copy.version === directoryVersion &&
      copy.name === input.name &&
      (!input.bootstrapAdmin || copy.person.roles.includes("admin"))
    )
      return copy.person;
    const person = await personForContact(db, input);
    if (directoryVersion === null) return person;
    if (remembered.size >= PEOPLE_MEMORY_SIZE) remembered.clear();
    remembered.set(key, { version: directoryVersion, name: input.name, person });
    return person;
  };
}
