/**
 * Length limits of the sign request, mirrored from @imlu/contracts (NAME_MAX, COMMENT_MAX and the
 * source limit), whose schemas module cannot be bundled because it needs zod. test/contract.test.ts
 * keeps them equal to the schema.
 */
export const NAME_MAX = 120;
export const COMMENT_MAX = 500;
export const SOURCE_MAX = 200;
