import type { Child } from 'hono/jsx';

import type { Lang, Translate } from './messages.ts';

export interface PageContext {
  lang: Lang;
  t: Translate;
  /** The path of this page, for the language switch. */
  path: string;
}

const htmxConfig = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
  // Refusals (400, 401, 409, 413, 429) are whole pages with the errors beside their fields: show them.
  responseHandling: [{ code: '.*', swap: true }],
});

/** The frame of every page: language, skip link, header with the switch, main, footer. */
export function Layout(props: { ctx: PageContext; title: string; scripts?: string[]; head?: Child; children: Child }) {
  const { ctx, title, scripts = [] } = props;
  const other: Lang = ctx.lang === 'en' ? 'zh-CN' : 'en';
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={htmxConfig} />
        <title>{`${title} · ${ctx.t('site.name')}`}</title>
        <link rel="stylesheet" href="/static/site.css" />
        {props.head}
        <script src="/static/vendor/htmx.min.js" defer />
        {scripts.map((src) => (
          <script key={src} src={src} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {ctx.t('nav.skip')}
        </a>
        <header class="site">
          <a class="brand" href="/">
            {ctx.t('site.name')}
          </a>
          <nav aria-label={ctx.t('lang.switchLabel')}>
            <a href={`${ctx.path}?lang=${other}`} lang={other} hreflang={other} class="lang">
              {ctx.t('lang.switch')}
            </a>
          </nav>
        </header>
        <main id="main">{props.children}</main>
        <footer class="site">
          <p>{ctx.t('footer.privacy')}</p>
        </footer>
      </body>
    </html>
  );
}

export const renderPage = (node: { toString(): string }) => `<!doctype html>${String(node)}`;

/** A labelled input with its errors beside it (and tied to it for screen readers). */
export function Field(props: {
  name: string;
  label: string;
  value?: string | undefined;
  errors?: string[] | undefined;
  type?: string;
  autocomplete?: string;
  inputmode?: 'text' | 'numeric' | 'latin';
  autofocus?: boolean;
  required?: boolean;
  hint?: string;
}) {
  const id = `f-${props.name.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const errorId = `${id}-error`;
  const errors = props.errors ?? [];
  return (
    <div class={errors.length > 0 ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete ?? 'off'}
        inputMode={props.inputmode === 'latin' ? 'text' : props.inputmode}
        // A keyboard-wedge QR scanner types into whichever field has the focus.
        autofocus={props.autofocus ? true : undefined}
        required={props.required}
        spellcheck={false}
        aria-invalid={errors.length > 0 ? 'true' : undefined}
        aria-describedby={errors.length > 0 ? errorId : undefined}
      />
      {errors.length > 0 && (
        <p class="error" id={errorId}>
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

export function Select(props: {
  name: string;
  label: string;
  value?: string | undefined;
  options: { value: string; text: string }[];
  errors?: string[] | undefined;
}) {
  const id = `f-${props.name.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const errors = props.errors ?? [];
  return (
    <div class={errors.length > 0 ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        aria-invalid={errors.length > 0 ? 'true' : undefined}
        aria-describedby={errors.length > 0 ? `${id}-error` : undefined}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === props.value}>
            {o.text}
          </option>
        ))}
      </select>
      {errors.length > 0 && (
        <p class="error" id={`${id}-error`}>
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

/** A form-level message (refusal, lock, rate limit) announced to screen readers. */
export function Alert(props: { text: string | null | undefined; id?: string }) {
  if (!props.text) return null;
  return (
    <p class="alert" role="alert" id={props.id}>
      {props.text}
    </p>
  );
}
