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
  /** A date-time box that takes seconds too: `1`. */
  step?: string;
  /** Always render the error paragraph (empty when valid), so a check can replace it alone by id. */
  errorSlot?: boolean;
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
        // A keyboard-wedge QR scanner types into whichever field has the focus. After a refusal the
        // first field in error takes it (htmx honours autofocus after a swap), so a keyboard user
        // lands where the correction is due instead of at the top of the page.
        autofocus={props.autofocus || errors.length > 0 ? true : undefined}
        required={props.required}
        step={props.step}
        spellcheck={false}
        aria-invalid={errors.length > 0 ? 'true' : undefined}
        aria-describedby={errors.length > 0 || props.errorSlot ? errorId : undefined}
      />
      {(errors.length > 0 || props.errorSlot) && <FieldError id={errorId} errors={errors} />}
    </div>
  );
}

export function Select(props: {
  name: string;
  label: string;
  value?: string | undefined;
  options: { value: string; text: string }[];
  errors?: string[] | undefined;
  errorSlot?: boolean;
}) {
  const id = `f-${props.name.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const errors = props.errors ?? [];
  const slot = errors.length > 0 || props.errorSlot;
  return (
    <div class={errors.length > 0 ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        autofocus={errors.length > 0 ? true : undefined}
        aria-invalid={errors.length > 0 ? 'true' : undefined}
        aria-describedby={slot ? `${id}-error` : undefined}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === props.value}>
            {o.text}
          </option>
        ))}
      </select>
      {slot && <FieldError id={`${id}-error`} errors={errors} />}
    </div>
  );
}

/**
 * The error paragraph beside a field; `oob` marks it for an htmx out-of-band swap, by its id or,
 * given a selector, of the element the selector names (a form that may appear more than once).
 */
export function FieldError(props: { id: string; errors: string[]; oob?: boolean | string }) {
  const oob = typeof props.oob === 'string' ? `outerHTML:${props.oob}` : props.oob ? 'true' : undefined;
  return (
    <p class="error" id={props.id} hx-swap-oob={oob}>
      {props.errors.join(' ')}
    </p>
  );
}

/** The id the error paragraph of the field `name` has. */
export const fieldErrorId = (name: string) => `f-${name.replace(/[^A-Za-z0-9]+/g, '-')}-error`;

/** A form-level message (refusal, lock, rate limit) announced to screen readers. */
export function Alert(props: { text: string | null | undefined; id?: string }) {
  if (!props.text) return null;
  return (
    <p class="alert" role="alert" id={props.id}>
      {props.text}
    </p>
  );
}
