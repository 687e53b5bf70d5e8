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
