/**
 * Tenant outbound webhooks: what the rest of the app uses. `emitTenantEvent` queues a signed
 * delivery to the tenant's URL; receivers check it with `verifyLeadPulseSignature`.
 */
export { emitTenantEvent, type EmitResult, type TenantEvent } from './emit';
export { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signLeadPulsePayload, verifyLeadPulseSignature } from './signature';
