/** Small line icons for the sidebar; decorative, so hidden from assistive technology. */
function Icon(props: { path: string; className?: string }) {
  return (
    <svg
      className={`icon ${props.className ?? ''}`}
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={props.path}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** A chevron pointing right; CSS turns it down when its section is open. */
export const ChevronIcon = () => <Icon className="icon-chevron" path="M6 3.5 10.5 8 6 12.5" />;
export const FolderIcon = () => (
  <Icon path="M1.75 4.25c0-.7.55-1.25 1.25-1.25h3.1l1.4 1.5h5.5c.7 0 1.25.55 1.25 1.25v6.5c0 .7-.55 1.25-1.25 1.25H3c-.7 0-1.25-.55-1.25-1.25z" />
);
export const PlusIcon = () => <Icon path="M8 3v10M3 8h10" />;
export const PinIcon = () => (
  <Icon className="icon-pin" path="M6 2.5h4M7 2.5v4L4.5 9h7L9 6.5v-4M8 9v4.5" />
);
export const ArchiveIcon = () => (
  <Icon path="M2 3h12v3H2zM3 6v6.75c0 .4.35.75.75.75h8.5c.4 0 .75-.35.75-.75V6M6.5 8.5h3" />
);
