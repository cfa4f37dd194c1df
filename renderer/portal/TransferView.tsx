import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Download, Upload } from 'lucide-react';
import { seoulDay } from '../../shared/seoul-time';
import { FILE_FORMATS, formatOfFile, PortalApiError, type FileFormat } from './api';
import { DepartmentSelect, Done, RefusalText, ViewHeading } from './parts';
import { usePortal, writesFor } from './portal-context';
import { sheetProblemsOf } from './refusal';
import { saveFile } from './save-file';
import type { ImportResult, SheetProblem } from './schemas';
import css from './Portal.module.css';

function Problems({ problems }: { problems: SheetProblem[] }) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <div className={css.tableWrap}>
      <table className={css.table}>
        <caption>{t('portal.transfer.problems', { count: problems.length })}</caption>
        <thead>
          <tr>
            <th scope="col" className={css.number}>
              {t('portal.transfer.line')}
            </th>
            <th scope="col">{t('portal.transfer.column')}</th>
            <th scope="col">{t('portal.transfer.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p, i) => (
            <tr key={i}>
              <td className={css.number}>{p.line}</td>
              <td>{p.column ?? ''}</td>
              <td lang="en">{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ExportPart() {
  const { t } = useTranslation();
  const { api, me } = usePortal();
  const id = useId();
  const [department, setDepartment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const download = (format: FileFormat) => {
    setBusy(true);
    setError(null);
    setDone('');
    const scope = me.user.role === 'editor' ? (me.user.department ?? 'manual') : department || 'all';
    api
      .exportFile(format, me.user.role === 'editor' ? undefined : department || undefined)
      .then(({ blob, name }) => {
        const file = name ?? `manual-${scope}-${seoulDay(new Date()).day}.${format}`;
        saveFile(blob, file);
        setDone(t('portal.transfer.downloaded', { name: file }));
      })
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(false));
  };
  return (
    <section aria-labelledby={id} className={css.card}>
      <h2 id={id}>{t('portal.transfer.exportTitle')}</h2>
      <p className="meta">{t('portal.transfer.exportIntro')}</p>
      <div className={css.toolbar}>
        <DepartmentSelect value={department} onChange={setDepartment} />
        {FILE_FORMATS.map((f) => (
          <button key={f} type="button" disabled={busy} onClick={() => download(f)}>
            <Download aria-hidden size={18} />
            {t(`portal.transfer.export.${f}`)}
          </button>
        ))}
      </div>
      <Done text={done} />
      {error ? <RefusalText error={error} /> : null}
    </section>
  );
}

function ImportPart() {
  const { t } = useTranslation();
  const { api, me } = usePortal();
  const id = useId();
  const file = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<File | null>(null);
  const [department, setDepartment] = useState('');
  const [submit, setSubmit] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const reviewer = me.user.role === 'reviewer';
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    if (reviewer && !department) return setError(new PortalApiError(0, 'no-department', 'no department chosen'));
    setBusy(true);
    setError(null);
    setResult(null);
    chosen
      .arrayBuffer()
      .then((bytes) => api.importFile({ format: formatOfFile(chosen.name), ...(reviewer ? { department } : {}), submit: !reviewer && submit }, bytes))
      .then((r) => {
        setResult(r);
        if (file.current) file.current.value = '';
        setChosen(null);
      })
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };
  return (
    <form aria-labelledby={id} className={css.card} onSubmit={send}>
      <h2 id={id}>{t('portal.transfer.importTitle')}</h2>
      <p className="meta">{reviewer ? t('portal.transfer.importIntroReviewer') : t('portal.transfer.importIntro')}</p>
      <div className={css.toolbar}>
        {reviewer && <DepartmentSelect value={department} onChange={setDepartment} required />}
        <label className={css.inline}>
          {t('portal.transfer.file')}
          <input ref={file} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => setChosen(e.target.files?.[0] ?? null)} />
        </label>
        {!reviewer && (
          <label className={css.check}>
            <input type="checkbox" checked={submit} onChange={(e) => setSubmit(e.target.checked)} />
            {t('portal.transfer.submit')}
          </label>
        )}
        <button type="submit" className="primary" disabled={busy || !chosen}>
          <Upload aria-hidden size={18} />
          {t('portal.transfer.import')}
        </button>
      </div>
      <Done text={result ? t('portal.transfer.imported', { count: result.drafts, unchanged: result.unchanged }) : ''} />
      {error ? (
        <>
          <RefusalText error={error} />
          <Problems problems={sheetProblemsOf(error)} />
        </>
      ) : null}
    </form>
  );
}

/** 가져오기·내보내기: the department's entries as a CSV or Excel file, and such a file back as drafts for review. */
export function TransferView() {
  const { t } = useTranslation();
  const { me } = usePortal();
  return (
    <>
      <ViewHeading text={t('portal.transfer.title')} />
      <div className={css.stack}>
        <ExportPart />
        {writesFor(me, me.user.department) && <ImportPart />}
      </div>
    </>
  );
}
