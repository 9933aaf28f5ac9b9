export * from './counties.ts';
export * from './problems.ts';
export * from './schemas.ts';
