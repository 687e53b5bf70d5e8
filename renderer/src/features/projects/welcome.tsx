import type { AppInfo } from '../../../../app/domain/app-info';
import { EmptyState } from '../../components/empty-state';
import { LogoIcon, PlusIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';

/** What the main area shows when no project is open. */
export function Welcome({ info, onCreate }: { info: AppInfo | null; onCreate(): void }) {
  const t = useT();
  return (
    <section className="page welcome">
      <EmptyState
        icon={<LogoIcon width={40} height={40} />}
        title={t.welcome.title}
        headingLevel={1}
        actions={
          <button type="button" className="button primary" onClick={onCreate}>
            <PlusIcon />
            {t.welcome.create}
          </button>
        }
      >
        {t.welcome.body} {t.welcome.pick}
      </EmptyState>
      {info && (
        <footer className="welcome-footer">
          <span>{t.app.version(info.version)}</span>
          <span className="path" title={info.dataDir}>
            {t.app.dataFolder(info.dataDir)}
          </span>
        </footer>
      )}
    </section>
  );
}
