CREATE TABLE "impact_daily" (
	"tenant_id" text NOT NULL,
	"day" text NOT NULL,
	"feature" text NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"successes" integer DEFAULT 0 NOT NULL,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"ai_cost_micro_usd" integer DEFAULT 0 NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "impact_daily_tenant_id_day_feature_pk" PRIMARY KEY("tenant_id","day","feature")
);
--> statement-breakpoint
ALTER TABLE "impact_daily" ADD CONSTRAINT "impact_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;