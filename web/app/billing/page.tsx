import type { Metadata } from 'next';
import { ToAdminBilling } from './to-admin-billing';

export const metadata: Metadata = { title: 'Billing' };

/**
 * APP_URL/billing is where the Worker tells Stripe to send the buyer back (after Checkout, with
 * ?checkout=success|cancelled, and from the Customer Portal). The screen lives under Admin, where
 * its navigation is; this page forwards there with the query.
 */
export default function Page() {
  return <ToAdminBilling />;
}
