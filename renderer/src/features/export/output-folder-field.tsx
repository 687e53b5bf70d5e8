import { useId, useState } from 'react';
import { call } from '../../bridge/desktop';
import { useT } from '../../i18n/i18n';

/**
 * The output folder of an export (the model export form and the training package card): typed, or picked with the
 * OS folder dialog; a dialog that cannot open says so under the field.
 */
export function OutputFolderField({
  value,
  onChange,
  disabled,
}: {
  value: string;
  onChange(dir: string): void;
  disabled: boolean;
}) {
  const te = useT().modelExport;
  const [pickError, setPickError] = useState(false);
  const id = useId();

  const choose = async () => {
    const r = await call((api) => api.dialog.open({ kind: 'folder', multiple: false }));
    setPickError(!r.ok);
    if (r.ok && r.value.paths[0]) onChange(r.value.paths[0]);
  };

  return (
    <div className="field">
      <label htmlFor={id}>{te.folderLabel}</label>
      <div className="export-folder-row">
        <input
          id={id}
          type="text"
          className="export-folder"
          spellCheck={false}
          placeholder={te.folderPlaceholder}
          value={value}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
        />
        <button type="button" className="button" disabled={disabled} onClick={() => void choose()}>
          {te.choose}
        </button>
      </div>
      {pickError && (
        <div className="error-message" role="alert">
          {te.chooseFailed}
        </div>
      )}
    </div>
  );
}
