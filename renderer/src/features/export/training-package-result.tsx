import { useState } from 'react';
import type { TrainingPackageResult } from '../../../../app/domain/training-package';
import { useLocale, useT } from '../../i18n/i18n';
import { packageCommands } from './package-commands';

/** One command to run, with a Copy button (the text stays selectable when the clipboard refuses). */
function Command({ label, text }: { label: string; text: string }) {
  const tr = useT().trainingPackage.result;
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  return (
    <li className="training-package-command">
      <span className="hint">{label}</span>
      <div className="training-package-command-row">
        <code className="export-path" data-testid="training-package-command">
          {text}
        </code>
        <button type="button" className="button small" onClick={() => void copy()}>
          {state === 'copied' ? tr.copied : tr.copy}
        </button>
      </div>
      {state === 'failed' && <span className="hint">{tr.copyFailed}</span>}
    </li>
  );
}

/** A written package: where, what it trains, how many images, the files, and the commands to run next. */
export function TrainingPackageResultView({
  result,
  projectName,
}: {
  result: TrainingPackageResult;
  projectName: string;
}) {
  const t = useT();
  const tr = t.trainingPackage.result;
  const { locale } = useLocale();
  const n = (x: number) => x.toLocaleString(locale);
  const commands = packageCommands(result.dir, result.command, projectName);
  const model = result.modelName === 'custom' ? t.network.custom : t.network.presets[result.modelName].title;
  return (
    <section className="export-result training-package-result" data-testid="training-package-result">
      <h4 className="export-subheading">{tr.heading}</h4>
      <dl className="export-facts">
        <dt>{tr.folder}</dt>
        <dd>
          <code className="export-path" data-testid="training-package-dir">
            {result.dir}
          </code>
        </dd>
        <dt>{tr.model}</dt>
        <dd>
          {model} · {tr.params(n(result.totalParams))} · {tr.classes(result.classNames.length)}
        </dd>
        <dt>{tr.images}</dt>
        <dd data-testid="training-package-counts">
          {tr.counts(n(result.counts.train), n(result.counts.val), n(result.counts.test))}
        </dd>
        {result.leftOutLabels.length > 0 && (
          <>
            <dt>{tr.leftOut}</dt>
            <dd data-testid="training-package-left-out">{result.leftOutLabels.join(', ')}</dd>
          </>
        )}
        <dt>{tr.size}</dt>
        <dd>{tr.megabytes((result.bytes / 1e6).toLocaleString(locale, { maximumFractionDigits: 1 }))}</dd>
        <dt>{tr.files}</dt>
        <dd>
          <ul className="export-files">
            {result.files.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <h4 className="export-subheading">{tr.commandsHeading}</h4>
      <ul className="training-package-commands">
        <Command label={tr.oneMachine} text={commands.oneMachine} />
        <Command label={tr.severalProcesses} text={commands.severalProcesses} />
        <Command label={tr.bringBack} text={commands.bringBack} />
      </ul>
    </section>
  );
}
