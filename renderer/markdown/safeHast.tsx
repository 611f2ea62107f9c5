import type { ElementContent, Root } from 'hast';
import { Fragment, type ReactNode } from 'react';

/** Class names as highlight.js writes them (`hljs-keyword`, `function_`). */
const CLASS_NAME = /^[\w-]+$/;

/**
 * Highlighter output as React elements: text, and spans carrying class names. Anything else in
 * the tree (another element, an attribute, a style, raw HTML) is dropped, keeping only its text,
 * so even a tree that did not come from lowlight cannot put markup or behaviour on the page.
 */
export function renderHighlighted(tree: Root): ReactNode[] {
  return tree.children.map((child, index) => renderChild(child as ElementContent, index));
}

function renderChild(node: ElementContent, key: number): ReactNode {
  if (node.type === 'text') return typeof node.value === 'string' ? node.value : null;
  if (node.type !== 'element' || !Array.isArray(node.children)) return null;
  const children = node.children.map(renderChild);
  if (node.tagName !== 'span') return <Fragment key={key}>{children}</Fragment>;
  const raw: unknown = node.properties?.className;
  const classes = (Array.isArray(raw) ? raw : [raw]).filter(
    (name): name is string => typeof name === 'string' && CLASS_NAME.test(name),
  );
  return (
    <span key={key} className={classes.length > 0 ? classes.join(' ') : undefined}>
      {children}
    </span>
  );
}
