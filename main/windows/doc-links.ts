import type { Shell } from 'electron';
import type { DocLink } from '../../app/domain/doc-links';

/**
 * The one place that calls shell.openExternal: it opens the documentation page of a DocLink key. Each URL is a
 * string literal at its call, so no value from a page can reach openExternal (and electronegativity's
 * OPEN_EXTERNAL_JS_CHECK, which accepts only literal arguments, agrees). An unknown key opens nothing.
 */
export function docLinkOpener(shell: Pick<Shell, 'openExternal'>): (link: DocLink) => Promise<void> {
  return async (link) => {
    switch (link) {
      case 'onnx-runtime-python':
        return shell.openExternal('https://onnxruntime.ai/docs/get-started/with-python.html');
      case 'onnx-runtime-javascript':
        return shell.openExternal('https://onnxruntime.ai/docs/get-started/with-javascript/');
      case 'tfjs-load-model':
        return shell.openExternal('https://www.tensorflow.org/js/guide/save_load');
      case 'netron':
        return shell.openExternal('https://netron.app/');
      default:
        throw new Error(`Unknown documentation link ${JSON.stringify(link satisfies never)}`);
    }
  };
}
