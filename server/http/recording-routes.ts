import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DESK_ROLES, RECORDING_ROLES, ROLES } from '../../shared/auth';
import { closeCaseSchema, deskRecordingMetaSchema, MAX_DESK_RECORDING_BYTES, RECORDING_MEDIA_TYPES, recordingAccessSchema, type RecordingMediaType } from '../../shared/recording';
import { closeCase, listCases } from '../store/protection-cases';
import { listRecordingAccess, listRecordings, logRecordingAccess, openRecording, RecordingRefused, recordingsOfRecord, storeRecording } from '../store/recordings';
import type { Db } from '../store/sql';
import type { User } from '../store/users';
import type { RecordingVault } from '../recording/vault';
import { HttpError } from './http-error';
import { param, parse, requireUser } from './route-helpers';
import { attachment } from './sheet-routes';

// What each media type's first bytes are: a body that is not what it says is refused, not stored.
const MAGIC: Record<RecordingMediaType, (b: Buffer) => boolean> = {
  'audio/webm': (b) => b.length > 4 && b.readUInt32BE(0) === 0x1a45dfa3,
  'audio/wav': (b) => b.length > 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WAVE',
};

const rangeSchema = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  unlinked: z.enum(['1', '0']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * Call recordings (issue 23): desks upload the calls the gateway does not record; team leads and
 * the city's auditors list and open them, each time with a reason written to the recording access
 * log, as is every refused attempt; leads close the report cases that keep recordings past retention.
 */
export function registerRecordingRoutes(app: FastifyInstance, deps: { db: Db; clock: () => Date; vault: RecordingVault }): void {
  const { db, clock, vault } = deps;

  for (const type of RECORDING_MEDIA_TYPES) app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  /** The user may work with recordings; anyone else signed in is refused, and the attempt logged. */
  const requireListener = async (req: FastifyRequest, what: { recordingId: string | null; recordId: string | null; purpose: 'play' | 'download' | 'list'; reason: string }): Promise<User> => {
    const user = requireUser(req, ROLES);
    if (!RECORDING_ROLES.includes(user.role)) {
      await logRecordingAccess(db, { actor: user.username, role: user.role, ...what, allowed: false }, clock());
      throw new HttpError(403, 'forbidden', 'only team leads and auditors may open call recordings');
    }
    return user;
  };

  app.post('/api/recordings', { bodyLimit: MAX_DESK_RECORDING_BYTES }, async (req, reply) => {
    const user = requireUser(req, DESK_ROLES);
    const meta = parse(deskRecordingMetaSchema, req.query, 'recording');
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
    if (type !== meta.mediaType) throw new HttpError(415, 'unsupported-media-type', `the body must be ${meta.mediaType}`);
    const audio = req.body;
    if (!Buffer.isBuffer(audio) || !MAGIC[meta.mediaType](audio)) throw new HttpError(400, 'invalid', `the body is not ${meta.mediaType} audio`);
    try {
      const stored = await storeRecording(db, vault, { ...meta, source: 'desk', callerE164: null, callee: null, uploadedBy: user.id, audio }, clock());
      return reply.status(stored.duplicate ? 200 : 201).send(stored);
    } catch (e) {
      if (e instanceof RecordingRefused) throw new HttpError(409, 'conflict', e.message);
      throw e;
    }
  });

  app.get('/api/records/:id/recordings', async (req) => {
    const recordId = param(req, 'id', 64, 'record');
    const user = await requireListener(req, { recordingId: null, recordId, purpose: 'list', reason: '(list)' });
    await logRecordingAccess(db, { actor: user.username, role: user.role, recordingId: null, recordId, purpose: 'list', reason: '(list)', allowed: true }, clock());
    return { recordings: await recordingsOfRecord(db, recordId) };
  });

  app.get('/api/recordings', async (req) => {
    const q = parse(rangeSchema, req.query, 'query');
    const user = await requireListener(req, { recordingId: null, recordId: null, purpose: 'list', reason: `${q.from}~${q.to}` });
    await logRecordingAccess(db, { actor: user.username, role: user.role, recordingId: null, recordId: null, purpose: 'list', reason: `${q.from}~${q.to}`, allowed: true }, clock());
    return { recordings: await listRecordings(db, { fromMs: Date.parse(q.from), toMs: Date.parse(q.to), unlinked: q.unlinked === '1', limit: q.limit }) };
  });

  // A POST, so the reason travels in the body and never sits in an address bar, a proxy log or a history.
  app.post('/api/recordings/:id/audio', async (req, reply) => {
    const id = param(req, 'id', 64, 'recording');
    const body = recordingAccessSchema.safeParse(req.body);
    const reason = body.success ? body.data.reason : '(no reason given)';
    const purpose = body.success ? body.data.purpose : 'play';
    const user = await requireListener(req, { recordingId: id, recordId: null, purpose, reason });
    if (!body.success) throw new HttpError(400, 'invalid', 'say why the recording is opened (reason, 2-200 characters) and whether to play or download it');
    const found = await openRecording(db, vault, id);
    if (!found) throw new HttpError(404, 'not-found', 'no such recording (retention may have deleted it)');
    await logRecordingAccess(db, { actor: user.username, role: user.role, recordingId: id, recordId: found.summary.recordId, purpose, reason, allowed: true }, clock());
    reply.header('cache-control', 'no-store');
    if (purpose === 'download') reply.header('content-disposition', attachment(`recording-${found.summary.startedAt.slice(0, 10)}-${id.slice(0, 8)}.${found.summary.mediaType === 'audio/wav' ? 'wav' : 'webm'}`));
    return reply.type(found.summary.mediaType).send(found.audio);
  });

  app.get('/api/recordings/access-log', async (req) => {
    requireUser(req, RECORDING_ROLES);
    const q = parse(z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) }), req.query, 'query');
    return { access: await listRecordingAccess(db, q.limit) };
  });

  app.get('/api/protection/cases', async (req) => {
    requireUser(req, RECORDING_ROLES);
    const q = parse(z.strictObject({ state: z.enum(['open', 'closed', 'all']).default('open'), limit: z.coerce.number().int().min(1).max(500).default(200) }), req.query, 'query');
    return { cases: await listCases(db, q.state, q.limit) };
  });

  app.post('/api/protection/cases/:id/close', async (req) => {
    const user = requireUser(req, ['lead']);
    const recordId = param(req, 'id', 64, 'record');
    const { note } = parse(closeCaseSchema, req.body, 'body');
    const closed = await closeCase(db, recordId, user.username, note, clock());
    if (!closed) throw new HttpError(404, 'not-found', 'no reported call with this record');
    return { case: closed };
  });
}
