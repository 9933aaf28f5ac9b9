/** The languages every string of the SDK exists in. Plain data, safe to bundle in the widget. */
export const LOCALES = ['en', 'sw'] as const;
export type Locale = (typeof LOCALES)[number];
