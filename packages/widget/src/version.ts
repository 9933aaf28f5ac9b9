/** This package's version, compared by `define()` when a tag is already taken. Kept equal to package.json by a test. */
export const VERSION = '0.1.0';
