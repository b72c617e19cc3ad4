export * from './jobs';
export * from './tenancy';
