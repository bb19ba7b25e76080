import type { SupportedLanguage } from '../common/languages';
import { PASSKEY_SCRIPTS } from '../console/console-assets.controller';
import { html, SafeHtml } from '../console/console-html';
import { renderConsolePage } from '../console/console-layout';
import { ConsoleMessages, consoleMessages, fill, roleName } from '../console/console-messages';
import type { ConsoleSession } from '../console/console-session';
import type { InvitationRow } from './console-auth.repository';

/** Why passkeys cannot work here (a bare IP address), or null when they can. */
function passkeyBlock(
  t: ConsoleMessages,
  options: {
    rpId: string | null;
    host: string;
    label: string;
    help: string;
    mode: 'authenticate' | 'register';
    optionsUrl: string;
    verifyUrl: string;
    csrf?: string;
    codesBox?: string;
  },
): SafeHtml {
  if (!options.rpId) return html`<p class="notice" id="passkey-unavailable">${fill(t.passkeyUnavailable, { host: options.host })}</p>`;
  return html`<div data-passkey-block hidden>
      <p>
        <button
          type="button"
          id="passkey-button"
          data-passkey="${options.mode}"
          data-options="${options.optionsUrl}"
          data-verify="${options.verifyUrl}"
          data-status="passkey-status"
          data-working="${t.passkeyWorking}"
          data-failed="${t.passkeyFailed}"
          ${options.csrf ? html` data-csrf="${options.csrf}"` : ''}${options.codesBox ? html` data-codes-box="${options.codesBox}"` : ''}
        >
          ${options.label}
        </button>
      </p>
      <p class="help">${options.help}</p>
      <p id="passkey-status" role="status" hidden></p>
    </div>
    <p class="help" data-passkey-noscript>${t.passkeyNoScript}</p>`;
}

export function signInPage(
  lang: SupportedLanguage,
  view: { rpId: string | null; host: string; failed?: boolean; signedOut?: boolean },
): string {
  const t = consoleMessages(lang);
  const body = html`${view.signedOut ? html`<p class="notice" role="status">${t.signedOutText}</p>` : ''}
    ${view.failed ? html`<p class="problem" role="alert" id="sign-in-problem">${t.signInFailed}</p>` : ''}
    <section aria-labelledby="passkey-heading">
      <h2 id="passkey-heading">${t.signInPasskey}</h2>
      ${passkeyBlock(t, {
        rpId: view.rpId,
        host: view.host,
        label: t.signInPasskey,
        help: t.signInPasskeyHelp,
        mode: 'authenticate',
        optionsUrl: '/console/sign-in/passkey/options',
        verifyUrl: '/console/sign-in/passkey',
      })}
    </section>
    <section aria-labelledby="password-heading">
      <h2 id="password-heading">${t.signInWithPassword}</h2>
      <form class="stack" method="post" action="/console/sign-in">
        <div class="field">
          <label for="email">${t.fieldEmail}</label
          ><input type="email" id="email" name="email" autocomplete="username" required maxlength="254" />
        </div>
        <div class="field">
          <label for="password">${t.fieldPassword}</label
          ><input type="password" id="password" name="password" autocomplete="current-password" required maxlength="200" />
        </div>
        <div class="field">
          <label for="code">${t.fieldCode}</label
          ><input type="text" id="code" name="code" autocomplete="one-time-code" inputmode="text" required maxlength="20" class="ltr" />
        </div>
        <p><button type="submit">${t.signInSubmit}</button></p>
      </form>
    </section>`;
  return renderConsolePage({ lang, title: t.signInTitle, body, scripts: view.rpId ? PASSKEY_SCRIPTS : [] });
}

export function invalidInvitationPage(lang: SupportedLanguage): string {
  const t = consoleMessages(lang);
  return renderConsolePage({ lang, title: t.inviteInvalidTitle, body: html`<p>${t.inviteInvalidText}</p>` });
}

export function setupPage(lang: SupportedLanguage, token: string, problem?: string): string {
  const t = consoleMessages(lang);
  const body = html`<p>${t.setupIntro}</p>
    ${problem ? html`<p class="problem" role="alert">${problem}</p>` : ''}
    <form class="stack" method="post" action="/console/invitations/${token}/setup">
      <div class="field">
        <label for="email">${t.fieldEmail}</label
        ><input type="email" id="email" name="email" autocomplete="email" required maxlength="254" />
      </div>
      <p><button type="submit">${t.setupSubmit}</button></p>
    </form>`;
  return renderConsolePage({ lang, title: t.setupTitle, body });
}

function recoveryCodesBox(t: ConsoleMessages, codes: string[], hidden: boolean): SafeHtml {
  return html`<section id="recovery-codes" aria-labelledby="recovery-heading" ${hidden ? html` hidden` : ''}>
    <h2 id="recovery-heading" tabindex="-1">${t.recoveryTitle}</h2>
    <p>${t.recoveryText}</p>
    <ol class="codes">
      ${codes.map((c) => html`<li>${c}</li>`)}
    </ol>
    <p><a href="/console">${t.continueToConsole}</a></p>
  </section>`;
}

export function invitationPage(
  lang: SupportedLanguage,
  view: {
    token: string;
    invitation: InvitationRow;
    rpId: string | null;
    host: string;
    totp: { secret: string; mac: string; uri: string };
    problems?: Array<{ field: string; message: string }>;
  },
): string {
  const t = consoleMessages(lang);
  const problem = (field: string, text: string): SafeHtml =>
    view.problems?.some((p) => p.field === field) ? html`<p class="problem" id="${field}-problem">${text}</p>` : html``;
  const base = `/console/invitations/${view.token}`;
  const body = html`<p>${fill(t.inviteIntro, { role: roleName(t, view.invitation.role), email: view.invitation.email ?? '' })}</p>
    <div data-hide-after-enroll>
      <section aria-labelledby="passkey-heading">
        <h2 id="passkey-heading">${t.enrollPasskey}</h2>
        ${passkeyBlock(t, {
          rpId: view.rpId,
          host: view.host,
          label: t.enrollPasskey,
          help: t.enrollPasskeyHelp,
          mode: 'register',
          optionsUrl: `${base}/passkey/options`,
          verifyUrl: `${base}/passkey`,
          codesBox: 'recovery-codes',
        })}
      </section>
      <section aria-labelledby="password-heading">
        <h2 id="password-heading">${t.enrollPasswordTitle}</h2>
        <p>${t.totpHelp}</p>
        <p>${t.totpKey}: <code class="secret" id="totp-secret">${view.totp.secret}</code></p>
        <p><a href="${view.totp.uri}">${t.totpLink}</a></p>
        <form class="stack" method="post" action="${base}/password">
          <input type="hidden" name="totpSecret" value="${view.totp.secret}" />
          <input type="hidden" name="totpMac" value="${view.totp.mac}" />
          <input type="text" name="username" value="${view.invitation.email ?? ''}" autocomplete="username" hidden />
          <div class="field">
            <label for="password">${t.fieldNewPassword}</label>
            <input
              type="password"
              id="password"
              name="password"
              autocomplete="new-password"
              required
              minlength="12"
              maxlength="200"
              ${view.problems?.some((p) => p.field === 'password') ? html` aria-invalid="true" aria-describedby="password-problem"` : ''}
            />${problem('password', t.errorPassword)}
          </div>
          <div class="field">
            <label for="code">${t.fieldTotp}</label>
            <input
              type="text"
              id="code"
              name="code"
              autocomplete="one-time-code"
              inputmode="numeric"
              required
              maxlength="10"
              class="ltr"
              ${view.problems?.some((p) => p.field === 'code') ? html` aria-invalid="true" aria-describedby="code-problem"` : ''}
            />${problem('code', t.errorTotp)}
          </div>
          <p><button type="submit">${t.enrollSubmit}</button></p>
        </form>
      </section>
    </div>
    ${recoveryCodesBox(t, [], true)}`;
  return renderConsolePage({ lang, title: t.inviteTitle, body, scripts: view.rpId ? PASSKEY_SCRIPTS : [] });
}

/** The ten recovery codes, shown once (after enrolling, or regenerating them). */
export function recoveryCodesPage(session: ConsoleSession, codes: string[]): string {
  const t = consoleMessages(session.lang);
  return renderConsolePage({
    session,
    title: t.recoveryTitle,
    body: html`<p>${t.recoveryText}</p>
      <ol class="codes" id="recovery-code-list">
        ${codes.map((c) => html`<li>${c}</li>`)}
      </ol>
      <p><a href="/console">${t.continueToConsole}</a></p>`,
    path: '/console/security',
  });
}
