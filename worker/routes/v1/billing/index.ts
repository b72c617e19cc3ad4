import { newRouter } from '../../../lib/router';
import { checkoutRoute } from './checkout';
import { getBillingRoute } from './get';
import { portalRoute } from './portal';

export const billingRoutes = newRouter();
billingRoutes.route('/', getBillingRoute);
billingRoutes.route('/', checkoutRoute);
billingRoutes.route('/', portalRoute);
