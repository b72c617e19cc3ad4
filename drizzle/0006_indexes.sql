CREATE UNIQUE INDEX "model_versions_one_active_uq" ON "model_versions" USING btree ("tenant_id","kind") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "outbound_deliveries_pending_idx" ON "outbound_deliveries" USING btree ("created_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "leads_tenant_created_idx" ON "leads" USING btree ("tenant_id","created_at");