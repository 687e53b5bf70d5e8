import type { SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement>;

function Icon({ children, ...props }: IconProps) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

/** A plus sign. */
export function PlusIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M12 5v14M5 12h14" />
    </Icon>
  );
}

/** A pencil. */
export function PencilIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M4 20h4L18.5 9.5a2.12 2.12 0 0 0-3-3L5 17v3z" />
      <path d="M14.5 7.5l2 2" />
    </Icon>
  );
}

/** A trash can. */
export function TrashIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />
    </Icon>
  );
}

/** A counter-clockwise arrow (restore). */
export function RestoreIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M3 12a9 9 0 1 0 3-6.7L3 8" />
      <path d="M3 3v5h5" />
    </Icon>
  );
}

/** A warning triangle. */
export function WarningIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M10.3 3.9L1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
      <path d="M12 9v4M12 17h.01" />
    </Icon>
  );
}

/** A stack of images (dataset). */
export function ImagesIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="3" y="5" width="14" height="14" rx="2" />
      <path d="M7 3h12a2 2 0 0 1 2 2v12" />
      <path d="M3 15l4-4 4 4 2-2 4 4" />
    </Icon>
  );
}

/** A rising line chart (training). */
export function ChartIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M3 3v18h18" />
      <path d="M7 15l4-4 3 3 5-6" />
    </Icon>
  );
}

/** A check mark in a circle (evaluation). */
export function CheckCircleIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="12" cy="12" r="9" />
      <path d="M8 12l3 3 5-6" />
    </Icon>
  );
}

/** A target (prediction). */
export function TargetIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="12" cy="12" r="9" />
      <circle cx="12" cy="12" r="5" />
      <circle cx="12" cy="12" r="1" />
    </Icon>
  );
}

/** An arrow out of a box (export). */
export function ExportIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M12 3v12M7 8l5-5 5 5" />
      <path d="M5 14v5a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-5" />
    </Icon>
  );
}

/** The app mark: three stacked feature maps. */
export function LogoIcon(props: IconProps) {
  return (
    <Icon strokeWidth="1.8" {...props}>
      <rect x="3" y="8" width="11" height="11" rx="2" />
      <rect x="6.5" y="5.5" width="11" height="11" rx="2" />
      <rect x="10" y="3" width="11" height="11" rx="2" />
    </Icon>
  );
}

/** Two branches joining: merge one label into another. */
export function MergeIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M6 3v6a6 6 0 0 0 6 6h6M6 21v-6" />
      <path d="M15 12l3 3-3 3" />
    </Icon>
  );
}

/** A right-pointing triangle (start / resume). */
export function PlayIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M7 4.5v15l12-7.5z" fill="currentColor" />
    </Icon>
  );
}

/** Two bars (pause). */
export function PauseIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M8 5v14M16 5v14" strokeWidth="3" />
    </Icon>
  );
}

/** A filled square (stop). */
export function StopIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="6" y="6" width="12" height="12" rx="1.5" fill="currentColor" />
    </Icon>
  );
}

/** An arrow pointing up (move up). */
export function ArrowUpIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M12 19V5M6 11l6-6 6 6" />
    </Icon>
  );
}

/** An arrow pointing down (move down). */
export function ArrowDownIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M12 5v14M6 13l6 6 6-6" />
    </Icon>
  );
}

/** A cross (close / remove). */
export function CloseIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M6 6l12 12M18 6L6 18" />
    </Icon>
  );
}

/** Crossing arrows (shuffle). */
export function ShuffleIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M16 4h4v4M4 20 20 4M20 16v4h-4M15 15l5 5M4 4l5 5" />
    </Icon>
  );
}

/** A filled star (best epoch, project model). */
export function StarIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path
        d="M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z"
        fill="currentColor"
      />
    </Icon>
  );
}

/** Four tiles (the thumbnail grid). */
export function GridIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="4" y="4" width="7" height="7" rx="1" />
      <rect x="13" y="4" width="7" height="7" rx="1" />
      <rect x="4" y="13" width="7" height="7" rx="1" />
      <rect x="13" y="13" width="7" height="7" rx="1" />
    </Icon>
  );
}

/** Scattered points (the dataset map). */
export function MapIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="6" cy="16" r="1.6" />
      <circle cx="10" cy="8" r="1.6" />
      <circle cx="15" cy="14" r="1.6" />
      <circle cx="18" cy="6" r="1.6" />
      <circle cx="8" cy="20" r="1.6" />
      <circle cx="19" cy="19" r="1.6" />
    </Icon>
  );
}

/** Stacked bars with a check (splits & health). */
export function HealthIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M4 6h10M4 12h7M4 18h10" />
      <path d="M14 13l3 3 4-6" />
    </Icon>
  );
}

/** A camera (webcam). */
export function CameraIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="3" y="6" width="13" height="12" rx="2" />
      <path d="M16 10l5-3v10l-5-3" />
    </Icon>
  );
}
