-- Every change to people, identities or roles moves directory_version on, in the writing transaction: at its
-- commit (deferred), so that the row is locked only for that moment. An update that changes nothing (an upsert
-- of what is already there) leaves it. The value comes from a sequence of its own, which no truncate restarts,
-- so a version once seen never comes back.
CREATE SEQUENCE "directory_version_seq";
--> statement-breakpoint
CREATE FUNCTION "bump_directory_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "directory_version" ("only", "version") VALUES (true, nextval('directory_version_seq'))
    ON CONFLICT ("only") DO UPDATE SET "version" = excluded."version";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "people_directory_version" AFTER INSERT OR DELETE ON "people"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_directory_version"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "people_changed_directory_version" AFTER UPDATE ON "people"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION "bump_directory_version"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "identities_directory_version" AFTER INSERT OR DELETE ON "identities"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_directory_version"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "identities_changed_directory_version" AFTER UPDATE ON "identities"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION "bump_directory_version"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "person_roles_directory_version" AFTER INSERT OR DELETE ON "person_roles"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_directory_version"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "person_roles_changed_directory_version" AFTER UPDATE ON "person_roles"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION "bump_directory_version"();
--> statement-breakpoint
CREATE TRIGGER "people_truncated_directory_version" AFTER TRUNCATE ON "people"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_directory_version"();
--> statement-breakpoint
CREATE TRIGGER "identities_truncated_directory_version" AFTER TRUNCATE ON "identities"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_directory_version"();
--> statement-breakpoint
CREATE TRIGGER "person_roles_truncated_directory_version" AFTER TRUNCATE ON "person_roles"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_directory_version"();
