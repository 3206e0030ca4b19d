CREATE TABLE "signature_uses" (
	"platform" text NOT NULL,
	"signature" text NOT NULL,
	"body_digest" text NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "signature_uses_platform_signature_pk" PRIMARY KEY("platform","signature")
);
--> statement-breakpoint
CREATE INDEX "signature_uses_seen_idx" ON "signature_uses" USING btree ("seen_at");