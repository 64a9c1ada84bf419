import { birthTimeText } from '../../domain/codes/display-text.ts';
import type { verificationView } from '../../domain/lifecycle/visibility.ts';
import { ConsoleLayout, type ConsoleUser, Items } from '../console-layout.tsx';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { LookupCard, type LookupView, statusText, VerifyCard, type VerifyView } from './components.tsx';

// ---- agency: verification fields only, never an ID number

export type VerificationFields = ReturnType<typeof verificationView>;

export interface AgencyView {
  verify?: VerifyView;
  lookup?: LookupView;
  records?: VerificationFields[];
}

export function AgencyPage({ user, view }: { user: ConsoleUser; view: AgencyView }) {
  const base = '/console/agency';
  return (
    <ConsoleLayout title={t('agency.title')} user={user}>
      <h1>{t('agency.title')}</h1>
      <p class="lead">{t('agency.intro')}</p>
      <div class="grid2">
        <VerifyCard user={user} base={base} verify={view.verify} />
        <LookupCard user={user} base={base} lookup={view.lookup} />
      </div>
      {view.records && (
        <section aria-labelledby="records-h">
          <h2 id="records-h">{t('police.record.title')}</h2>
          {view.records.length === 0 && <p class="card">{t('issuer.search.none')}</p>}
          {view.records.map((c) => (
            <div key={c.certificateNo} class="card">
              <Items
                rows={[
                  [t('item.certificateNo'), c.certificateNo],
                  [
                    t('item.status'),
                    c.supersededBy ? `${statusText(c.status)}（${c.supersededBy}）` : statusText(c.status),
                  ],
                  [t('item.newbornName'), c.newborn.name],
                  [t('item.sex'), t(`midwife.sex.${c.newborn.sex}` as ConsoleKey)],
                  [t('item.birthTime'), birthTimeText(c.newborn.birthTime)],
                  [t('item.motherName'), c.mother.name],
                  [t('item.issuer'), c.issuer.name],
                  [t('item.issueDate'), c.issueDate],
                  [t('agency.household'), c.householdRegistered ? t('agency.household.yes') : t('agency.household.no')],
                ]}
              />
            </div>
          ))}
        </section>
      )}
    </ConsoleLayout>
  );
}
