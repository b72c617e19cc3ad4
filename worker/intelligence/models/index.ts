export * from './csv';
export * from './features';
export * from './logistic';
export * from './gbt';
export * from './calibration';
export * from './metrics';
export * from './train';
export { seededRandom, sigmoid, logit, stratifiedFolds } from './random';
