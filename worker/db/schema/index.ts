export * from './alerts';
export * from './compliance';
export * from './events';
export * from './integrations';
export * from './intelligence';
export * from './jobs';
export * from './leads';
export * from './tenancy';
