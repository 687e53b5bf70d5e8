/** Invoke channels of the training domain (filled in by its feature). */
export const trainingChannels = {} as const;
