import { newRouter } from '../../../lib/router';
import { checkoutRoute } from './checkout';
import { getBillingRoute } from './get';

export const billingRoutes = newRouter();
billingRoutes.route('/', getBillingRoute);
billingRoutes.route('/', checkoutRoute);
