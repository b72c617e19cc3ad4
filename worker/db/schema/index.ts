export * from './compliance';
export * from './integrations';
export * from './jobs';
export * from './leads';
export * from './tenancy';
