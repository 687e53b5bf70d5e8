/** English strings of the dataset map (`t.datasetMap`) (issue 11); zh-CN has the same shape (dataset-map-zh-CN.ts). */
export const datasetMapEn = {};

export type DatasetMapMessages = typeof datasetMapEn;
