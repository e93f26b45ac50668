/**
 * Reconciliation in a Web Worker: the page posts the files the person picked (Amazon order-history CSVs and card
 * statements, as bytes) and gets every charge explained, by the same core and built knowledge as the CLI.
 * Nothing is uploaded and nothing is stored here; the page keeps what it wants through its own Store.
 */
import ledgerPart from 'mamori:knowledge/ledger';
import { compileLedger } from '#core/knowledge/compile.ts';
import { amazonRowMapper, identifyAmazonFile } from '#core/ledger/amazon-export.ts';
import { parseStatement, readCsvRows } from '#core/ledger/statements.ts';
import type { CardCharge, ImportProblem, OrderLine, OrderPayment, Refund } from '#core/ledger/types.ts';
import { assembleOrders } from '#core/reconcile/orders.ts';
import { reconcile, type ReconcileResult } from '#core/reconcile/reconcile.ts';
import { serve } from './scope.ts';

export interface ReconcilePayload {
  files: { name: string; bytes: Uint8Array }[];
}

export interface ReconcileReply {
  result: ReconcileResult;
  problems: ImportProblem[];
}

const knowledge = compileLedger(ledgerPart);

function reconcileFiles(p: ReconcilePayload): ReconcileReply {
  const lines: OrderLine[] = [];
  const payments: OrderPayment[] = [];
  const refunds: Refund[] = [];
  const charges: CardCharge[] = [];
  const problems: ImportProblem[] = [];
  for (const f of p.files) {
    const csv = /\.csv$/i.test(f.name) ? readCsvRows(f.bytes) : null;
    const kind = csv && 'rows' in csv && csv.rows[0] ? identifyAmazonFile(f.name, csv.rows[0]) : null;
    if (csv && 'rows' in csv && kind) {
      const map = amazonRowMapper(kind, csv.rows[0]!, f.name, 'amazon-jp', knowledge.merchants);
      csv.rows.slice(1).forEach((row, i) => {
        const r = map(row, i + 2);
        if (r.problem) problems.push(r.problem);
        lines.push(...(r.lines ?? []));
        payments.push(...(r.payments ?? []));
        refunds.push(...(r.refunds ?? []));
      });
      continue;
    }
    const s = parseStatement(f.bytes, f.name, knowledge.statements);
    charges.push(...s.charges);
    problems.push(...s.problems);
  }
  const orders = assembleOrders(lines, payments);
  return { result: reconcile({ orders, refunds, charges }, knowledge), problems };
}

serve<'reconcile', ReconcilePayload, ReconcileReply>('reconcile', reconcileFiles);
