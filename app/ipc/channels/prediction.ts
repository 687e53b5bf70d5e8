/** Invoke channels of the prediction domain (filled in by its feature). */
export const predictionChannels = {} as const;
