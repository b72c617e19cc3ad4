CREATE TABLE "consent_events" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"lead_id" text,
	"phone" text,
	"action" text NOT NULL,
	"channel" text DEFAULT 'sms' NOT NULL,
	"method" text NOT NULL,
	"source" text,
	"form_text" text,
	"ip" text,
	"evidence" jsonb,
	"recorded_by" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "do_not_contact" (
	"tenant_id" text NOT NULL,
	"phone" text NOT NULL,
	"reason" text,
	"added_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "do_not_contact_tenant_id_phone_pk" PRIMARY KEY("tenant_id","phone")
);
--> statement-breakpoint
CREATE TABLE "ghl_connections" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"location_id" text NOT NULL,
	"api_token_encrypted" text NOT NULL,
	"from_number" text,
	"connected_by" text,
	"last_webhook_at" timestamp with time zone,
	"last_send_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ghl_connections_location_id_unique" UNIQUE("location_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"tenant_id" text,
	"dedupe_key" text NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"external_id" text,
	"source" text NOT NULL,
	"kind" text DEFAULT 'seller' NOT NULL,
	"name" text,
	"phone" text,
	"email" text,
	"street" text,
	"city" text,
	"state" text,
	"postal_code" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"stage" text DEFAULT 'new' NOT NULL,
	"temperature" text,
	"temperature_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"motivation_category" text,
	"motivation_strength" text,
	"motivation_evidence" text,
	"timeline_days" integer,
	"condition" text,
	"condition_notes" text,
	"price_cents" integer,
	"estimate_cents" integer,
	"bot_state" text DEFAULT 'active' NOT NULL,
	"opted_out" boolean DEFAULT false NOT NULL,
	"opted_out_at" timestamp with time zone,
	"dnd" boolean DEFAULT false NOT NULL,
	"assigned_agent_id" text,
	"assigned_at" timestamp with time zone,
	"taken_over_by" text,
	"first_inbound_at" timestamp with time zone,
	"first_outbound_at" timestamp with time zone,
	"speed_to_lead_ms" integer,
	"last_inbound_at" timestamp with time zone,
	"last_outbound_at" timestamp with time zone,
	"qualified_at" timestamp with time zone,
	"opportunity_status" text,
	"conversation_state" jsonb,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"lead_id" text NOT NULL,
	"direction" text NOT NULL,
	"sender" text NOT NULL,
	"sender_user_id" text,
	"body" text NOT NULL,
	"kind" text,
	"status" text NOT NULL,
	"external_id" text,
	"idempotency_key" text,
	"generated_by" text,
	"fallback_reason" text,
	"error" text,
	"scheduled_for" timestamp with time zone,
	"at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"reply_latency_ms" integer,
	"in_reply_to" text,
	"tokens" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text,
	"lead_id" text,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"data" jsonb,
	"dedupe_key" text NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "do_not_contact" ADD CONSTRAINT "do_not_contact_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ghl_connections" ADD CONSTRAINT "ghl_connections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_assigned_agent_id_users_id_fk" FOREIGN KEY ("assigned_agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_taken_over_by_users_id_fk" FOREIGN KEY ("taken_over_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_events_lead_idx" ON "consent_events" USING btree ("tenant_id","lead_id","occurred_at");--> statement-breakpoint
CREATE INDEX "consent_events_tenant_idx" ON "consent_events" USING btree ("tenant_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_dedupe_uq" ON "webhook_deliveries" USING btree ("provider","dedupe_key");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_status_idx" ON "webhook_deliveries" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_tenant_idx" ON "webhook_deliveries" USING btree ("tenant_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "leads_tenant_external_uq" ON "leads" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE INDEX "leads_tenant_updated_idx" ON "leads" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "leads_tenant_stage_idx" ON "leads" USING btree ("tenant_id","stage");--> statement-breakpoint
CREATE INDEX "leads_tenant_temperature_idx" ON "leads" USING btree ("tenant_id","temperature");--> statement-breakpoint
CREATE INDEX "leads_tenant_agent_idx" ON "leads" USING btree ("tenant_id","assigned_agent_id");--> statement-breakpoint
CREATE INDEX "leads_tenant_phone_idx" ON "leads" USING btree ("tenant_id","phone");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_tenant_external_uq" ON "messages" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_tenant_idempotency_uq" ON "messages" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "messages_lead_at_idx" ON "messages" USING btree ("lead_id","at");--> statement-breakpoint
CREATE INDEX "messages_tenant_at_idx" ON "messages" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_tenant_dedupe_uq" ON "notifications" USING btree ("tenant_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("tenant_id","user_id","created_at");