import type { CSSProperties } from 'react';
import type { ClassReport } from '../../../../app/domain/training';
import { useT } from '../../i18n/i18n';
import { useNumberFormats } from './use-evaluation';

/** Precision, recall, F1 and support of each class, F1 drawn as a bar too. */
export function ClassMetricsTable({ perClass }: { perClass: ClassReport[] }) {
  const t = useT();
  const tc = t.evaluation.classes;
  const { percent } = useNumberFormats();
  return (
    <table className="class-metrics" aria-labelledby="class-metrics-heading">
      <caption className="eval-caption">{tc.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{tc.label}</th>
          <th scope="col" className="num">
            {tc.precision}
          </th>
          <th scope="col" className="num">
            {tc.recall}
          </th>
          <th scope="col" className="num">
            {tc.f1}
          </th>
          <th scope="col" className="num">
            {tc.support}
          </th>
        </tr>
      </thead>
      <tbody>
        {perClass.map((c) => (
          <tr key={c.label}>
            <th scope="row" title={c.label}>
              {c.label}
            </th>
            <td className="num">{percent(c.precision)}</td>
            <td className="num">{percent(c.recall)}</td>
            <td className="num f1">
              <span
                className="f1-bar"
                aria-hidden="true"
                style={{ '--f1': Math.max(0, Math.min(1, c.f1)).toFixed(3) } as CSSProperties}
              />
              <span className="f1-value">{percent(c.f1)}</span>
            </td>
            <td className="num">{c.support.toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
