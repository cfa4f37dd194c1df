import type { ProtectionCase, ReportKind, EndReason } from '../../shared/recording';
import type { Db } from './sql';

interface CaseRow {
  id: string;
  report_kind: ReportKind;
  agent_id: string;
  username: string | null;
  display_name: string | null;
  started_at: string;
  category: string;
  warnings_played: number;
  warnings_spoken: number;
  end_reason: EndReason | null;
  recordings: number;
  case_closed_at: string | null;
  case_closed_by: string | null;
  case_note: string | null;
}

const caseOf = (r: CaseRow): ProtectionCase => {
  const [played, spoken] = [Number(r.warnings_played), Number(r.warnings_spoken)];
  return {
    recordId: r.id,
    kind: r.report_kind,
    agentId: r.agent_id,
    agent: r.username !== null && r.display_name !== null ? { username: r.username, displayName: r.display_name } : null,
    startedAt: r.started_at,
    category: r.category,
    warnings: played + spoken > 0 ? { played, spoken } : null,
    endReason: r.end_reason,
    recordings: Number(r.recordings),
    closedAt: r.case_closed_at,
    closedBy: r.case_closed_by,
    closingNote: r.case_note,
  };
};

const SELECT_CASES = `SELECT records.id, report_kind, agent_id, u.username, u.display_name, started_at, category, warnings_played, warnings_spoken, end_reason,
  (SELECT COUNT(*) FROM recordings g WHERE g.record_id = records.id) AS recordings, case_closed_at, case_closed_by, case_note
  FROM records LEFT JOIN users u ON u.id = records.agent_id WHERE report_kind IS NOT NULL`;

/** The calls agents reported (성희롱·위협): open ones first, by when the call was. */
export async function listCases(db: Db, state: 'open' | 'closed' | 'all', limit: number): Promise<ProtectionCase[]> {
  const filter = state === 'open' ? 'AND case_closed_at IS NULL' : state === 'closed' ? 'AND case_closed_at IS NOT NULL' : '';
  const rows = await db.all<CaseRow>(`${SELECT_CASES} ${filter} ORDER BY CASE WHEN case_closed_at IS NULL THEN 0 ELSE 1 END, started_ms DESC LIMIT ?`, [limit]);
  return rows.map(caseOf);
}

/** Closes a report case with the team lead's note: its recordings fall under retention again. Null when there is no such case; closing twice keeps the first. */
export async function closeCase(db: Db, recordId: string, by: string, note: string, now: Date): Promise<ProtectionCase | null> {
  return db.write(async (tx) => {
    await tx.run('UPDATE records SET case_closed_at = ?, case_closed_by = ?, case_note = ? WHERE id = ? AND report_kind IS NOT NULL AND case_closed_at IS NULL', [now.toISOString(), by, note, recordId]);
    const row = await tx.get<CaseRow>(`${SELECT_CASES} AND records.id = ?`, [recordId]);
    return row ? caseOf(row) : null;
  });
}
