CREATE TABLE "churn_assessments" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"lead_id" text NOT NULL,
	"risk" real NOT NULL,
	"drivers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"model_version" text NOT NULL,
	"features" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"assessed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "churn_episodes" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"lead_id" text NOT NULL,
	"group" text NOT NULL,
	"risk_at_detection" real NOT NULL,
	"stage_at_detection" text NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"job_started_at" timestamp with time zone,
	"first_action_at" timestamp with time zone,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "churn_interventions" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"episode_id" text NOT NULL,
	"lead_id" text NOT NULL,
	"step" integer NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"executed_at" timestamp with time zone,
	"detail" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coaching_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"metrics" jsonb NOT NULL,
	"team" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"insights" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"narrative" text,
	"generated_by" text NOT NULL,
	"tokens" jsonb,
	"cost_micro_usd" integer DEFAULT 0 NOT NULL,
	"trigger" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "churn_assessments" ADD CONSTRAINT "churn_assessments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "churn_assessments" ADD CONSTRAINT "churn_assessments_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "churn_episodes" ADD CONSTRAINT "churn_episodes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "churn_episodes" ADD CONSTRAINT "churn_episodes_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "churn_interventions" ADD CONSTRAINT "churn_interventions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "churn_interventions" ADD CONSTRAINT "churn_interventions_episode_id_churn_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."churn_episodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "churn_interventions" ADD CONSTRAINT "churn_interventions_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_reports" ADD CONSTRAINT "coaching_reports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_reports" ADD CONSTRAINT "coaching_reports_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "churn_assessments_lead_idx" ON "churn_assessments" USING btree ("lead_id","assessed_at");--> statement-breakpoint
CREATE INDEX "churn_assessments_tenant_idx" ON "churn_assessments" USING btree ("tenant_id","assessed_at");--> statement-breakpoint
CREATE INDEX "churn_episodes_tenant_idx" ON "churn_episodes" USING btree ("tenant_id","detected_at");--> statement-breakpoint
CREATE INDEX "churn_episodes_lead_idx" ON "churn_episodes" USING btree ("lead_id","detected_at");--> statement-breakpoint
CREATE UNIQUE INDEX "churn_interventions_episode_step_uq" ON "churn_interventions" USING btree ("episode_id","step");--> statement-breakpoint
CREATE INDEX "churn_interventions_tenant_idx" ON "churn_interventions" USING btree ("tenant_id","status","scheduled_for");--> statement-breakpoint
CREATE INDEX "coaching_reports_agent_idx" ON "coaching_reports" USING btree ("tenant_id","agent_id","created_at");