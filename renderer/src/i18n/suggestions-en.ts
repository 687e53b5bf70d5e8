/** English strings of label suggestions in the Dataset grid (`t.suggestions`) (issue 11); zh-CN has the same shape (suggestions-zh-CN.ts). */
export const suggestionsEn = {};

export type SuggestionsMessages = typeof suggestionsEn;
