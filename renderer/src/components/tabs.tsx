import { useRef, type KeyboardEvent, type ReactNode } from 'react';

/** One tab of a Tabs strip. */
export interface TabItem<K extends string> {
  key: K;
  label: string;
  icon?: ReactNode;
}

/**
 * An ARIA tab strip with a roving tabindex: Tab enters the selected tab, arrow keys / Home / End move between tabs
 * and select them (automatic activation), and the panel is labelled by its tab.
 */
export function Tabs<K extends string>({
  items,
  selected,
  onSelect,
  label,
  idPrefix,
}: {
  items: readonly TabItem<K>[];
  selected: K;
  onSelect(key: K): void;
  label: string;
  idPrefix: string;
}) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = items.findIndex((i) => i.key === selected);
    const last = items.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % items.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + items.length) % items.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : -1;
    if (next < 0) return;
    event.preventDefault();
    const key = items[next].key;
    onSelect(key);
    refs.current.get(key)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={move}>
      {items.map((item) => (
        <button
          key={item.key}
          ref={(el) => {
            if (el) refs.current.set(item.key, el);
            else refs.current.delete(item.key);
          }}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${item.key}`}
          aria-controls={`${idPrefix}-panel-${item.key}`}
          aria-selected={item.key === selected}
          tabIndex={item.key === selected ? 0 : -1}
          className="tab"
          onClick={() => onSelect(item.key)}
        >
          {item.icon}
          <span>{item.label}</span>
        </button>
      ))}
    </div>
  );
}

/** The panel that belongs to the selected tab of a Tabs strip with the same idPrefix. */
export function TabPanel({
  idPrefix,
  tab,
  children,
}: {
  idPrefix: string;
  tab: string;
  children: ReactNode;
}) {
  return (
    <div
      className="tab-panel"
      role="tabpanel"
      id={`${idPrefix}-panel-${tab}`}
      aria-labelledby={`${idPrefix}-tab-${tab}`}
      tabIndex={0}
    >
      {children}
    </div>
  );
}
