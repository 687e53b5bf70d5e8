import type { DatasetMapMessages } from './dataset-map-en';

/** Simplified Chinese strings of the dataset map (`t.datasetMap`); same shape as dataset-map-en.ts. */
export const datasetMapZhCN: DatasetMapMessages = {};
