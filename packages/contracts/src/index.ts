export * from './counties.ts';
export * from './county-names.ts';
export * from './locale.ts';
export * from './problems.ts';
export * from './schemas.ts';
export * from './phone.ts';
export * from './text-rules.ts';
export * from './signing-keys.ts';
