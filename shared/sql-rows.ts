import type { ManualEntry } from './manual';
import type { DeskHistoryItem, HistoryItem } from './record';

// The city server and the desk's cache store entries and consultations under the same column
// names; these map their rows back to the domain types for both.

export interface EntryRow {
  id: string;
  kind: ManualEntry['kind'];
  category: string;
  title: string;
  body: string;
  keywords: string;
  department: string | null;
  updated_at: string;
  version: number;
  /** The fields beyond 업무개요 as JSON; NULL (or no column, in an older cache) when none. */
  sections?: string | null;
}

export function entryFromRow(row: EntryRow): ManualEntry {
  return {
    id: row.id,
    kind: row.kind,
    category: row.category,
    title: row.title,
    body: row.body,
    keywords: JSON.parse(row.keywords) as string[],
    department: row.department,
    updatedAt: row.updated_at,
    version: row.version,
    ...(row.sections ? { sections: JSON.parse(row.sections) as ManualEntry['sections'] } : {}),
  };
}

export interface HistoryRow {
  id: string;
  caller_e164: string | null;
  agent_id: string;
  started_at: string;
  ended_at: string;
  category: string;
  outcome: HistoryItem['outcome'];
  manual_ids: string;
  notes: string;
  department: string | null;
  /** 'call' (the column's default), 'text' or 'callback'. */
  channel: string;
  /** 'abusive' when the call was ended under the protocol (no column in an older cache). */
  end_reason?: string | null;
}

/** A desk cache's history row: another agent's consultation has no agent and no end (DeskHistoryItem). */
export type DeskHistoryRow = Omit<HistoryRow, 'agent_id' | 'ended_at'> & { agent_id: string | null; ended_at: string | null };

export function historyFromRow(row: HistoryRow): HistoryItem;
export function historyFromRow(row: DeskHistoryRow): DeskHistoryItem;
export function historyFromRow(row: DeskHistoryRow): DeskHistoryItem {
  return {
    id: row.id,
    callerE164: row.caller_e164,
    agentId: row.agent_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    category: row.category,
    outcome: row.outcome,
    manualIds: JSON.parse(row.manual_ids) as string[],
    notes: row.notes,
    department: row.department,
    ...(row.channel === 'text' || row.channel === 'callback' ? { channel: row.channel } : {}),
    ...(row.end_reason === 'abusive' ? { endReason: row.end_reason } : {}),
  };
}
