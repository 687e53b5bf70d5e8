import type { SuggestionsMessages } from './suggestions-en';

/** Simplified Chinese strings of label suggestions in the Dataset grid (`t.suggestions`); same shape as suggestions-en.ts. */
export const suggestionsZhCN: SuggestionsMessages = {};
