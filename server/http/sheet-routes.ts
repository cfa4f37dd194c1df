import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PORTAL_ROLES } from '../../shared/auth';
import type { Department } from '../../shared/directory';
import { seoulDay } from '../../shared/seoul-time';
import { importSheet, parseSheet, sheetCsv, sheetXlsx } from '../import/entry-sheet';
import { listDepartments } from '../store/directory';
import { portalEntries } from '../store/entry-upkeep';
import type { Db } from '../store/sql';
import { HttpError } from './http-error';
import { departmentScope } from './knowledge-routes';
import { parse, requireUser } from './route-helpers';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A department's sheet is a few MB at most; the rest of the API keeps its small bodies. */
const SHEET_BODY_LIMIT = 10 * 1024 * 1024;

const format = z.enum(['csv', 'xlsx']);
const department = z.string().trim().min(1).max(64).optional();

/** `attachment` with a UTF-8 file name (RFC 6266/5987): Korean names survive every browser. */
export const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/**
 * A department's entries as a spreadsheet and back (issue 21): exported from what is live, imported
 * as drafts for review. In a scope of its own, where bodies are the file's bytes (CSV or XLSX)
 * and JSON is not taken.
 */
export function registerSheetRoutes(app: FastifyInstance, deps: { db: Db; clock: () => Date }): void {
  const { db, clock } = deps;

  async function directoryDepartment(id: string): Promise<Department> {
    const known = (await listDepartments(db)).find((d) => d.id === id);
    if (!known) throw new HttpError(400, 'no-department', `no department ${id} in the directory`);
    return known;
  }

  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(['text/csv', XLSX_TYPE, 'application/octet-stream'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.get('/api/portal/export', async (req, reply) => {
      const user = requireUser(req, PORTAL_ROLES);
      const q = parse(z.strictObject({ format, department }), req.query, 'query');
      const scoped = departmentScope(user, q.department);
      const name = scoped ? (await directoryDepartment(scoped)).name : '전체';
      const entries = await portalEntries(db, scoped ? { department: scoped } : {}, clock());
      const file = `${name} 매뉴얼 ${seoulDay(clock()).day}.${q.format}`;
      reply.header('content-disposition', attachment(file));
      if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(sheetCsv(entries));
      return reply.type(XLSX_TYPE).send(await sheetXlsx(entries, name));
    });

    scope.post('/api/portal/import', { bodyLimit: SHEET_BODY_LIMIT }, async (req) => {
      const user = requireUser(req, ['editor', 'reviewer']);
      const q = parse(z.strictObject({ format, department, submit: z.enum(['1']).optional() }), req.query, 'query');
      const scoped = departmentScope(user, q.department);
      if (!scoped) throw new HttpError(400, 'no-department', 'name the department the sheet is for (department=)');
      await directoryDepartment(scoped);
      const parsed = await parseSheet((req.body as Buffer | undefined) ?? Buffer.alloc(0), q.format);
      const result = parsed.problems.length > 0 ? { problems: parsed.problems } : await importSheet(db, user, scoped, parsed.rows, { submit: q.submit === '1', now: clock() });
      if (result.problems.length > 0) throw new HttpError(400, 'invalid-sheet', `the sheet has ${result.problems.length} problem(s): nothing was imported`, result.problems);
      return result;
    });
  });
}
