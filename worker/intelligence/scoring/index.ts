export * from './features';
export * from './priors';
export * from './lead-score';
