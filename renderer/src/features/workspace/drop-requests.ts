import { createContext, useContext } from 'react';

/** Items dropped on the window in another section that the user chose to predict, or a model file opened. */
export interface PredictRequest {
  id: number;
  /** Items to predict (may be empty when only a model file is opened). */
  paths: string[];
  /** Predict with this model file (a double-clicked `.cnnmodel`) instead of the chosen run. */
  modelFile?: string;
  /** `performance.now()` time of the drop. */
  at: number;
}

interface PredictRequestValue {
  request: PredictRequest | null;
  /** The Predict section took the request (it started predicting). */
  consume(id: number): void;
}

/** The workspace hands a window drop's paths to the Predict section through this context. */
export const PredictRequestContext = createContext<PredictRequestValue>({ request: null, consume: () => {} });

/** The pending "predict these items" request of the workspace, if any. */
export function usePredictRequest(): PredictRequestValue {
  return useContext(PredictRequestContext);
}
