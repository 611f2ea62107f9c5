/** Whether this is a Mac, where ⌘ replaces Ctrl. */
export function isMacPlatform(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}

/** The modifier key's label: ⌘ on a Mac, Ctrl elsewhere. */
export function modifierLabel(): string {
  return isMacPlatform() ? '⌘' : 'Ctrl';
}
