import type { Response } from 'express';
import { archiveForPolice, listPoliceArchives, readPoliceArchive } from '../../domain/lifecycle/police-archives.ts';
import type { PoliceOfficer } from '../../domain/lifecycle/ports.ts';
import { consoleT as t } from '../console-messages.ts';
import { formValues } from '../forms.ts';
import { ArchivePage, ArchivesPage } from './archive-pages.tsx';
import { type ConsoleRoutes, guarded, locals, param, redirectAfterPost, refusalOf, send } from './routes.tsx';

/** The police archive in the console: 归档 after a verification, a case's archives, one archive then/now. */
export function archiveRoutes({ router, deps, post }: ConsoleRoutes) {
  const { archives: ports, validate } = deps;
  const police = (res: Response) => locals(res).principal as PoliceOfficer;
  const user = (res: Response) => locals(res).user;

  router.get('/console/police/archives', (_req, res) => send(res, 200, <ArchivesPage user={user(res)} />));

  router.post('/console/police/archives/search', ...post, (req, res) => {
    const values = formValues(req.body);
    try {
      const { results } = listPoliceArchives(ports, police(res), values.caseNo, t('archive.purpose.read'));
      const caseNo = (values.caseNo ?? '').trim();
      send(
        res,
        200,
        <ArchivesPage
          user={user(res)}
          search={{ values, errors: new Map() }}
          results={{ caseNo, archives: results }}
        />,
      );
    } catch (error) {
      const refusal = refusalOf(error);
      send(res, refusal.status, <ArchivesPage user={user(res)} search={{ values, ...refusal }} />);
    }
  });

  router.post('/console/police/archives', ...post, async (req, res) => {
    const values = formValues(req.body);
    const certificateNo = (values.certificateNo ?? '').toUpperCase();
    try {
      const body = validate('police-archive', { certificateNo, caseNo: (values.caseNo ?? '').trim() });
      const made = await archiveForPolice(ports, police(res), body, t('archive.purpose.make'));
      redirectAfterPost(req, res, `/console/police/archives/${made.id}?made=1`);
    } catch (error) {
      const refusal = refusalOf(error);
      send(
        res,
        refusal.status,
        <ArchivesPage
          user={user(res)}
          retry={{ certificateNo, values, errors: refusal.errors, alert: refusal.alert }}
        />,
      );
    }
  });

  router.get('/console/police/archives/:id', async (req, res) => {
    try {
      const archive = await readPoliceArchive(ports, police(res), param(req, 'id'), t('archive.purpose.read'));
      const notice = req.query.made === '1' ? t('archive.done') : undefined;
      send(res, 200, <ArchivePage user={user(res)} archive={archive} notice={notice} />);
    } catch (error) {
      guarded(res, error);
    }
  });

  /** The archived signed e-licence, byte for byte as archived. */
  router.get('/console/police/archives/:id/signed.json', async (req, res) => {
    try {
      const archive = await readPoliceArchive(ports, police(res), param(req, 'id'), t('archive.purpose.read'));
      res
        .status(200)
        .type('application/json')
        .setHeader('Cache-Control', 'no-store')
        .setHeader('Content-Disposition', `attachment; filename="${archive.certificateNo}.json"`)
        .send(Buffer.from(archive.signedJson, 'utf8'));
    } catch (error) {
      guarded(res, error);
    }
  });
}
