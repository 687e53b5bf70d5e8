/** Placeholder: the Grad-CAM explanation of one image (being built). */
import type { ImageExplanation } from '../../../app/domain/prediction';
import { AppFailure } from '../../../app/ipc/result';
import type { InferenceClient } from './inference-client';

export interface ExplainOptions {
  /** Explain this class (default: the top one). */
  label?: string;
  topK: number;
}

/** One image's top classes, preview and Grad-CAM overlay. */
export async function explainImage(
  client: InferenceClient,
  file: string,
  options: ExplainOptions,
): Promise<ImageExplanation> {
  void client;
  void file;
  void options;
  throw new AppFailure('internal', 'explanations are being built');
}
