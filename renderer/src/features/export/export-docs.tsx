import { useState } from 'react';
import type { DocLink } from '../../../../app/domain/doc-links';
import type { ModelExportFormat } from '../../../../app/domain/model-export';
import { call } from '../../bridge/desktop';
import { useT } from '../../i18n/i18n';

/** The documentation pages that explain how to run each exported format. */
export const DOCS_BY_FORMAT: Record<ModelExportFormat, DocLink[]> = {
  onnx: ['onnx-runtime-python', 'onnx-runtime-javascript', 'netron'],
  tfjs: ['tfjs-load-model', 'netron'],
  native: [],
};

/**
 * Links to the documentation of an exported format. The page names a page by key; main opens its fixed URL in
 * the user's browser (app:openLink), so the page never hands main an address.
 */
export function ExportDocs({ format }: { format: ModelExportFormat }) {
  const t = useT().modelExport.docs;
  const [failed, setFailed] = useState(false);
  const links = DOCS_BY_FORMAT[format];
  if (links.length === 0) return null;
  const open = async (link: DocLink) => {
    const result = await call((api) => api.app.openLink({ link }));
    setFailed(!result.ok);
  };
  return (
    <div className="export-docs" data-testid="export-docs">
      <h4 className="export-subheading">{t.heading}</h4>
      <ul>
        {links.map((link) => (
          <li key={link}>
            <button type="button" className="link-button" title={t.hint} onClick={() => void open(link)}>
              {t.links[link]}
            </button>
          </li>
        ))}
      </ul>
      {failed && (
        <p className="error-message" role="alert">
          {t.failed}
        </p>
      )}
    </div>
  );
}
