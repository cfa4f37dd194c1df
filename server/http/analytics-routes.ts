import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { analyticsQuerySchema, drillQuerySchema, EXPORT_FORMATS } from '../../shared/analytics';
import { ANALYTICS_ROLES } from '../../shared/auth';
import { logAccess } from '../store/access-log';
import { dashboard, drillDown } from '../store/analytics';
import type { Db } from '../store/sql';
import { exportAnalysis, listExports } from '../report/export';
import { attachment } from './sheet-routes';
import { parse, requireUser } from './route-helpers';

/**
 * The analysis of the records (issue 22), for team leads and the city's analysts: the dashboard,
 * the records behind a cell, and exports to publish. Only a lead reads notes, and that read is
 * logged; no export holds a number or a note.
 */
export function registerAnalyticsRoutes(app: FastifyInstance, deps: { db: Db; clock: () => Date }): void {
  const { db, clock } = deps;

  app.get('/api/analytics/dashboard', async (req) => {
    requireUser(req, ANALYTICS_ROLES);
    return dashboard(db, parse(analyticsQuerySchema, req.query, 'query'));
  });

  app.get('/api/analytics/records', async (req) => {
    const user = requireUser(req, ANALYTICS_ROLES);
    const q = parse(drillQuerySchema, req.query, 'query');
    const withNotes = user.role === 'lead';
    if (withNotes) {
      const cell = [q.category && `category=${q.category}`, q.district && `district=${q.district}`, q.weekday !== undefined && `weekday=${q.weekday}`, q.hour !== undefined && `hour=${q.hour}`].filter(Boolean).join(' ');
      await logAccess(db, { actor: user.username, subject: `analysis ${q.from}~${q.to} ${cell}`.trim(), purpose: 'record-list' }, clock());
    }
    return drillDown(db, q, withNotes);
  });

  app.get('/api/analytics/export', async (req, reply) => {
    const user = requireUser(req, ANALYTICS_ROLES);
    const { format, ...rest } = parse(z.looseObject({ format: z.enum(EXPORT_FORMATS) }), req.query, 'query');
    const q = parse(analyticsQuerySchema, rest, 'query');
    const report = await exportAnalysis(db, q, format, { actor: user.username, source: 'web' }, clock());
    reply.header('content-disposition', attachment(report.name));
    return reply.type(report.type).send(report.file);
  });

  // Who published what: a lead reviews the export log.
  app.get('/api/analytics/exports', async (req) => {
    requireUser(req, ['lead']);
    const q = parse(z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }), req.query, 'query');
    return { exports: await listExports(db, q.limit) };
  });
}
