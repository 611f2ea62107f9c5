import type { Nodes, RootContent } from 'mdast';
import type { ReactNode } from 'react';
import { withBidiMarkers } from './bidiMarkers';
import { CodeBlock } from './CodeBlock';
import { MathView } from './MathView';
import { RemoteImage } from './RemoteImage';
import { SafeLink } from './SafeLink';
import { SourceFallback } from './SourceFallback';

/**
 * Renders an mdast tree as React elements. Raw HTML in model output is shown as text, links are
 * inert unless http(s) or mailto, and remote images are never fetched automatically. Each block
 * of prose takes its own direction (dir="auto"): an English paragraph in an Arabic reply reads
 * left to right.
 */
export function renderNodes(nodes: readonly RootContent[], finished: boolean): ReactNode[] {
  return nodes.map((node, index) => renderNode(node, index, finished));
}

function renderNode(node: Nodes, key: number, finished: boolean): ReactNode {
  // Built only where used: a tight list item renders its children itself, and rendering them
  // twice per level would double the work at every level of a nested list.
  const children =
    'children' in node && node.type !== 'listItem' && node.type !== 'table'
      ? renderNodes(node.children as RootContent[], finished)
      : null;
  switch (node.type) {
    case 'root':
      return <>{children}</>;
    case 'paragraph':
      return (
        <p key={key} dir="auto">
          {children}
        </p>
      );
    case 'heading': {
      const Tag = `h${Math.min(node.depth + 2, 6)}` as 'h3';
      return (
        <Tag key={key} dir="auto">
          {children}
        </Tag>
      );
    }
    case 'text':
      return node.value;
    case 'emphasis':
      return <em key={key}>{children}</em>;
    case 'strong':
      return <strong key={key}>{children}</strong>;
    case 'delete':
      return <del key={key}>{children}</del>;
    case 'inlineCode':
      // Bidi controls show as ⟪U+202E⟫ markers here too: inline code is pasted into terminals as well.
      return <code key={key}>{withBidiMarkers(node.value)}</code>;
    case 'break':
      return <br key={key} />;
    case 'thematicBreak':
      return <hr key={key} />;
    case 'blockquote':
      return <blockquote key={key}>{children}</blockquote>;
    case 'list': {
      const className = node.data?.flattened ? 'md-list-flattened' : undefined;
      return node.ordered ? (
        <ol key={key} start={node.start ?? undefined} className={className}>
          {children}
        </ol>
      ) : (
        <ul key={key} className={className}>
          {children}
        </ul>
      );
    }
    case 'listItem': {
      // Tight list items show their paragraphs inline, as every markdown renderer does.
      const content = node.spread
        ? renderNodes(node.children, finished)
        : node.children.map((child, index) =>
            child.type === 'paragraph' ? (
              <span key={index}>{renderNodes(child.children, finished)}</span>
            ) : (
              renderNode(child, index, finished)
            ),
          );
      const task = node.checked !== null && node.checked !== undefined;
      return (
        <li key={key} dir="auto" className={task ? 'task' : undefined}>
          {task ? (
            <input type="checkbox" checked={node.checked === true} disabled readOnly />
          ) : null}
          {content}
        </li>
      );
    }
    case 'code':
      return (
        <CodeBlock key={key} code={node.value} language={node.lang ?? null} finished={finished} />
      );
    case 'math':
      return <MathView key={key} tex={node.value} display />;
    case 'inlineMath':
      return <MathView key={key} tex={node.value} display={false} />;
    case 'table':
      return (
        <div key={key} className="table-scroll">
          <table>
            <tbody>
              {node.children.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.children.map((cell, cellIndex) => {
                    const Cell = rowIndex === 0 ? 'th' : 'td';
                    return (
                      <Cell
                        key={cellIndex}
                        dir="auto"
                        style={{ textAlign: node.align?.[cellIndex] ?? undefined }}
                      >
                        {renderNodes(cell.children, finished)}
                      </Cell>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'link':
      return (
        <SafeLink key={key} href={node.url}>
          {children}
        </SafeLink>
      );
    case 'image':
      return <RemoteImage key={key} src={node.url} alt={node.alt ?? ''} />;
    case 'html':
      // Raw HTML from a model is text, never markup.
      return (
        <code key={key} className="raw-html">
          {node.value}
        </code>
      );
    case 'footnoteReference':
      return <sup key={key}>[{node.label ?? node.identifier}]</sup>;
    case 'footnoteDefinition':
      return (
        <div key={key} className="footnote">
          <sup>[{node.label ?? node.identifier}]</sup> {children}
        </div>
      );
    case 'sourceText':
      return <SourceFallback key={key} text={node.value} />;
    case 'linkReference':
    case 'imageReference':
      return <span key={key}>{children}</span>;
    default:
      return null;
  }
}
