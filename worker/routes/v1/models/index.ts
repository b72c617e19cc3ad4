import { newRouter } from '../../../lib/router';
import { activateVersionRoute } from './activate';
import { getTrainingRoute } from './get-training';
import { listModelsRoute } from './list';
import { predictRoute } from './predict';
import { trainModelRoute } from './train';

/** /v1/models: training, versions and rollback, predictions (PRODUCT.md §3.4 "Models"). */
export const modelRoutes = newRouter()
  .route('/', listModelsRoute)
  .route('/', getTrainingRoute)
  .route('/', trainModelRoute)
  .route('/', activateVersionRoute)
  .route('/', predictRoute);
