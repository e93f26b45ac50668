/**
 * The report for one reader, as the core writes it in Markdown (`buildReport`, format md), laid out as headings,
 * lists, tables and paragraphs of React text: nothing in it is ever parsed as HTML, so a subject or a link quoted
 * from a mail stays text. Printed with the print CSS in large type.
 */
import type { ReactNode } from 'react';

const cells = (line: string) =>
  line
    .replace(/^\s*\|/, '')
    .replace(/\|\s*$/, '')
    .split('|')
    .map((c) => c.trim());

export function ReportView({ markdown }: { markdown: string }) {
  const out: ReactNode[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    if (line.startsWith('# ')) out.push(<h2 key={i}>{line.slice(2)}</h2>);
    else if (line.startsWith('## ')) out.push(<h3 key={i}>{line.slice(3)}</h3>);
    else if (line.startsWith('### ')) out.push(<h4 key={i}>{line.slice(4)}</h4>);
    else if (/^\s*[-*] /.test(line)) {
      const items: string[] = [];
      for (; i < lines.length && /^\s*[-*] /.test(lines[i]!); i++)
        items.push(lines[i]!.replace(/^\s*[-*] /, ''));
      i--;
      out.push(
        <ul key={i}>
          {items.map((x, k) => (
            <li key={k}>{x}</li>
          ))}
        </ul>,
      );
    } else if (line.trimStart().startsWith('|')) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.trimStart().startsWith('|'); i++) rows.push(cells(lines[i]!));
      i--;
      const [head, ...body] = rows.filter((r) => !r.every((c) => /^:?-+:?$/.test(c)));
      out.push(
        <div className="table-wrap" key={i}>
          <table>
            <thead>
              <tr>
                {(head ?? []).map((c, k) => (
                  <th key={k} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {body.map((r, k) => (
                <tr key={k}>
                  {r.map((c, j) => (
                    <td key={j}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>,
      );
    } else out.push(<p key={i}>{line.replace(/\*\*(.+?)\*\*/g, '$1')}</p>);
  }
  return <div className="report-text">{out}</div>;
}
